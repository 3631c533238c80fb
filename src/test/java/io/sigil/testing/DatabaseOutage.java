package io.sigil.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes a test database unreachable, as a restart or a network partition would: no new connection is accepted and
 * every open one is cut. Works from a separate superuser connection to the server's {@code postgres} database.
 */
public final class DatabaseOutage implements AutoCloseable {

    private final String server;
    private final String database;
    private boolean down;

    private DatabaseOutage(String jdbcUrl) {
        int slash = jdbcUrl.lastIndexOf('/');
        this.server = jdbcUrl.substring(0, slash + 1) + "postgres";
        this.database = jdbcUrl.substring(slash + 1).replaceAll("\\?.*", "");
    }

    /** Starts the outage on the database of {@code jdbcUrl}. */
    public static DatabaseOutage begin(String jdbcUrl) throws SQLException {
        DatabaseOutage outage = new DatabaseOutage(jdbcUrl);
        outage.execute("ALTER DATABASE \"" + outage.database + "\" ALLOW_CONNECTIONS false");
        outage.down = true;
        outage.cutConnections();
        return outage;
    }

    /** Cuts the connections again (a pool may have tried to reconnect between two calls). */
    public void cutConnections() throws SQLException {
        execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "' AND pid <> pg_backend_pid()");
    }

    /** Ends the outage: the database accepts connections again. */
    public void end() throws SQLException {
        if (down) {
            execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS true");
            down = false;
        }
    }

    @Override
    public void close() throws SQLException {
        end();
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
