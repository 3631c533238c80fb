package io.sigil.registry;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.Guard;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;

/**
 * Runs a registry write in its own short transaction, retried a few times when PostgreSQL aborts it for a
 * serialization failure or a deadlock: concurrent pushes into one repository must all succeed, never fail with a
 * transient conflict the client would have to retry. Any other failure is thrown at once.
 */
final class ShortTransactions {

    /** Five attempts in all, 5–25 ms apart (jittered so that two conflicting pushes do not collide again). */
    private static final Guard TRANSIENT_CONFLICTS = Guard.create()
            .withDescription("registry write transaction")
            .withRetry().maxRetries(4).delay(15, ChronoUnit.MILLIS).jitter(10, ChronoUnit.MILLIS)
            .whenException(ShortTransactions::isTransient).done()
            .build();

    private ShortTransactions() {
    }

    @SuppressWarnings("unchecked")
    static <T> T run(Callable<T> work) {
        return (T) TRANSIENT_CONFLICTS.get(() -> QuarkusTransaction.requiringNew().call(work), Object.class);
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
