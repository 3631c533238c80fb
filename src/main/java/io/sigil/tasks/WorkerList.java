package io.sigil.tasks;

import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The task workers as their heartbeats record them ({@code /workers/}). A worker silent for longer than the worker
 * timeout is reaped (its row deleted), so every worker listed is online unless it died since the last reaping.
 */
@ApplicationScoped
public class WorkerList {

    @Inject
    EntityManager em;
    @Inject
    TasksConfig config;

    /** One worker; {@code currentTask} is the id of a task it runs now, if any. */
    public record Worker(UUID id, String name, OffsetDateTime started, OffsetDateTime lastHeartbeat, boolean online,
                         UUID currentTask) {
        public String href() {
            return "/pulp/api/v3/workers/" + id + "/";
        }
    }

    public record WorkerPage(long count, List<Worker> workers) {
    }

    private static final String SELECT = """
            SELECT w.pulp_id, w.name, w.started_at, w.last_heartbeat,
                   w.last_heartbeat >= now() - make_interval(secs => ?),
                   (SELECT t.pulp_id FROM task t WHERE t.worker = w.name AND t.state IN ('running', 'canceling')
                    ORDER BY t.started_at LIMIT 1)
            FROM worker w""";

    /** Workers by name; {@code online} narrows to those whose heartbeat is (or is not) recent. */
    @Transactional
    public WorkerPage list(String name, Boolean online, int offset, int limit) {
        List<Worker> all = Sql.with(em, sql -> sql.query(SELECT + " WHERE (CAST(? AS text) IS NULL OR w.name = ?) ORDER BY w.name",
                rs -> new Worker(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getObject(4, OffsetDateTime.class), rs.getBoolean(5), rs.getObject(6, UUID.class)),
                timeoutSeconds(), name, name));
        List<Worker> matching = all.stream().filter(w -> online == null || w.online() == online).toList();
        return new WorkerPage(matching.size(),
                matching.subList(Math.min(offset, matching.size()), Math.min(offset + limit, matching.size())));
    }

    @Transactional
    public Worker get(UUID id) {
        return Sql.with(em, sql -> sql.query(SELECT + " WHERE w.pulp_id = ?",
                rs -> new Worker(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getObject(4, OffsetDateTime.class), rs.getBoolean(5), rs.getObject(6, UUID.class)),
                timeoutSeconds(), id)).stream().findFirst().orElseThrow(() -> ApiException.notFound("Not found."));
    }

    private double timeoutSeconds() {
        return config.workerTimeout().toMillis() / 1000.0;
    }
}
