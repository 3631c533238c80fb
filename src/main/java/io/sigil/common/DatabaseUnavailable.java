package io.sigil.common;

import java.sql.SQLException;
import java.util.Set;
import org.hibernate.exception.JDBCConnectionException;

/**
 * Recognises "the database cannot be reached right now" (down, restarting, refusing connections, the pool unable to
 * connect) anywhere in an exception's causes. Such a failure is an answer — 503 with {@code Retry-After} — not an
 * internal error: it ends by itself once the database is back, no restart needed.
 */
public final class DatabaseUnavailable {

    /** Seconds a client is told to wait before trying again. */
    public static final int RETRY_AFTER_SECONDS = 5;
    public static final String MESSAGE = "The database is unavailable at the moment; try again shortly.";

    /** 08: connection exceptions; 57P01-03: admin or crash shutdown, cannot connect now; 53300: too many connections. */
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private DatabaseUnavailable() {
    }

    public static boolean causes(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && unavailable(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean unavailable(SQLException e) {
        String state = e.getSQLState();
        String message = String.valueOf(e.getMessage());
        return (state != null && (state.startsWith("08") || STATES.contains(state)))
                || message.contains("not currently accepting connections") // 55000 after ALLOW_CONNECTIONS false
                || message.contains("Acquisition timeout") // the pool could not get a connection in time
                || message.contains("This connection has been closed");
    }
}
