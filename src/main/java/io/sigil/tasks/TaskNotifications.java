package io.sigil.tasks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens on the task channel so that a dispatch or a finished task in another process wakes this one's workers at
 * once. Polling stays the safety net: if the connection drops, workers only wake a little later until it is back.
 */
final class TaskNotifications {

    private static final Logger LOG = Logger.getLogger(TaskNotifications.class);
    private static final int RECEIVE_TIMEOUT_MS = 500;
    private static final long RECONNECT_DELAY_MS = 5_000;

    private final DataSource dataSource;
    private final Runnable onNotification;
    private final Thread thread;
    private volatile boolean stopped;

    TaskNotifications(DataSource dataSource, Runnable onNotification) {
        this.dataSource = dataSource;
        this.onNotification = onNotification;
        this.thread = new Thread(this::run, "sigil-task-listener");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        stopped = true;
        thread.interrupt(); // ends a reconnect pause; a pending receive ends within its timeout
        thread.join(2L * RECEIVE_TIMEOUT_MS);
    }

    private void run() {
        while (!stopped) {
            try {
                listen();
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("task notifications unavailable, relying on polling: %s", e.getMessage());
                pause();
            }
        }
    }

    private void listen() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + TaskStore.CHANNEL);
            PGConnection pg = connection.unwrap(PGConnection.class);
            while (!stopped) {
                PGNotification[] received = pg.getNotifications(RECEIVE_TIMEOUT_MS);
                if (received != null && received.length > 0) {
                    onNotification.run();
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_DELAY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }
}
