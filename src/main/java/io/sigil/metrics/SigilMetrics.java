package io.sigil.metrics;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Sigil's own meters, beside the HTTP and JVM ones Quarkus provides, scraped at {@code /q/metrics}. Callers report what
 * happened in their own words; meter names and tags are decided here. Tags take only a few values each (task names,
 * states, verdicts, reason classes), never digests or free text, so the series stay few.
 */
@Startup // so the queue gauge is there from the first scrape, before any task or pull
@ApplicationScoped
public class SigilMetrics {

    private static final Logger LOG = Logger.getLogger(SigilMetrics.class);

    @Inject
    MeterRegistry registry;
    @Inject
    AgroalDataSource dataSource;

    /** The queue depth is one indexed count, read when scraped, so every node reports the shared queue. */
    @PostConstruct
    void registerGauges() {
        Gauge.builder("sigil.tasks.waiting", this::waitingTasks).description("Tasks waiting for a worker (whole installation)")
                .register(registry);
    }

    private double waitingTasks() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM task WHERE state = 'waiting'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            LOG.debugf("cannot count waiting tasks: %s", e.getMessage());
            return Double.NaN;
        }
    }

    public void taskStarted(String name) {
        Counter.builder("sigil.tasks.started").description("Tasks a worker of this node began").tag("name", name)
                .register(registry).increment();
    }

    public void taskFinished(String name, String state, Duration took) {
        Counter.builder("sigil.tasks.finished").description("Tasks this node's workers ended, by final state")
                .tag("name", name).tag("state", state).register(registry).increment();
        Timer.builder("sigil.tasks.duration").description("Run time of tasks on this node, by final state")
                .tag("name", name).tag("state", state).register(registry).record(took);
    }

    /** Bytes of blob or manifest bodies the registry answered with ({@code kind} blob or manifest). */
    public void registryBytesServed(String kind, long bytes) {
        Counter.builder("sigil.registry.served.bytes").baseUnit("bytes").description("Bodies served by /v2/")
                .tag("kind", kind).register(registry).increment(bytes);
    }

    public void syncFetched(String what, long count) {
        if (count > 0) {
            Counter.builder("sigil.sync.fetched").description("Units a sync downloaded from upstream (manifests, blobs, signatures)")
                    .tag("kind", what).register(registry).increment(count);
        }
    }

    public void syncBytesFetched(long bytes) {
        Counter.builder("sigil.sync.fetched.bytes").baseUnit("bytes").description("Blob bytes downloaded by syncs")
                .register(registry).increment(bytes);
    }

    /** A signature a sync found but did not keep; {@code reason} is a class (invalid, unreadable), not the message. */
    public void syncSignatureSkipped(String source, String reason) {
        Counter.builder("sigil.sync.signatures.skipped").description("Signatures found upstream and not kept")
                .tag("source", source).tag("reason", reason).register(registry).increment();
    }

    /** A verification verdict, whichever path computed it (ingest, push, sync, re-verification). */
    public void signatureVerified(String type, Enum<?> verdict) {
        Counter.builder("sigil.signatures.verified").description("Signature verifications, by verdict")
                .tag("type", type == null ? "unknown" : type).tag("verdict", verdict.name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }
}
