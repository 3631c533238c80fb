package io.sigil.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Every read and write of the {@code task} and {@code worker} tables. Each method is one committed transaction, and
 * every state change is a compare-and-set on the current state, so concurrent workers, cancels and reapers in any
 * number of processes settle on one outcome. Timestamps come from the database clock, never from a process.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
class TaskStore {

    /** Serialises claims across all processes sharing the database (an arbitrary constant they agree on). */
    private static final long CLAIM_LOCK = 0x5_1617_7A5CL;
    static final String CHANNEL = "sigil_tasks";

    /**
     * The oldest waiting task that no active task and no earlier waiting task conflicts with. Two tasks conflict when
     * either locks exclusively a resource the other locks at all. Checking earlier waiting tasks keeps the queue fair:
     * a stream of shared readers cannot starve a writer.
     */
    private static final String CLAIMABLE = """
            SELECT CAST(t.pulp_id AS text) FROM task t
            WHERE t.state = 'waiting'
              AND NOT EXISTS (
                  SELECT 1 FROM task o
                  WHERE (o.state IN ('running', 'canceling')
                         OR (o.state = 'waiting' AND (o.pulp_created, o.id) < (t.pulp_created, t.id)))
                    AND (o.exclusive_resources && (t.exclusive_resources || t.shared_resources)
                         OR o.shared_resources && t.exclusive_resources))
            ORDER BY t.pulp_created, t.id
            LIMIT 1
            FOR UPDATE OF t SKIP LOCKED""";

    /** Fails the active tasks of workers silent for too long (and of workers whose row vanished), deleting the rows. */
    private static final String REAP = """
            WITH dead AS (
                DELETE FROM worker WHERE last_heartbeat < now() - make_interval(secs => :timeout) RETURNING name)
            UPDATE task t SET state = 'failed', finished_at = clock_timestamp(),
                error = jsonb_build_object('description', format('worker %s died', coalesce(t.worker, '(none)')))
            WHERE t.state IN ('running', 'canceling')
              AND (t.worker IN (SELECT name FROM dead)
                   OR (t.started_at < now() - make_interval(secs => :timeout)
                       AND NOT EXISTS (SELECT 1 FROM worker w WHERE w.name = t.worker)))
            RETURNING CAST(t.pulp_id AS text) || ' of worker ' || coalesce(t.worker, '(none)')""";

    private static final TypeReference<List<ProgressReport>> REPORTS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    UUID insert(String name, JsonNode parameters, String[] exclusive, String[] shared, String user) {
        Task task = new Task();
        task.pulpId = UUID.randomUUID();
        task.name = name;
        task.state = TaskState.WAITING.value();
        task.parameters = parameters;
        task.exclusiveResources = exclusive;
        task.sharedResources = shared;
        task.createdBy = user;
        task.progressReports = json.createArrayNode();
        task.createdResources = json.createArrayNode();
        task.persist();
        notifyWorkers();
        return task.pulpId;
    }

    Optional<TaskView> find(UUID id) {
        return Task.<Task>find("pulpId", id).firstResultOptional().map(this::view);
    }

    TaskList list(TaskFilter filter, int offset, int limit) {
        if (filter.states() != null && filter.states().isEmpty()) {
            return new TaskList(0, List.of());
        }
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (filter.states() != null) {
            where.add("state in :states");
            params.put("states", filter.states().stream().map(TaskState::value).toList());
        }
        if (filter.name() != null) {
            where.add("name = :name");
            params.put("name", filter.name());
        }
        var query = Task.<Task>find(String.join(" and ", where), Sort.descending("pulpCreated", "id"), params);
        int last = (int) Math.min(Integer.MAX_VALUE, (long) offset + limit - 1);
        return new TaskList(query.count(), query.range(offset, last).stream().map(this::view).toList());
    }

    /** Claims the next runnable task for this worker, or nothing. */
    Optional<UUID> claim(String worker) {
        // Taken in its own statement: the next one then sees every claim committed before this lock was granted.
        em.createNativeQuery("SELECT 1 FROM pg_advisory_xact_lock(:key)").setParameter("key", CLAIM_LOCK).getSingleResult();
        List<?> found = em.createNativeQuery(CLAIMABLE).getResultList();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        UUID id = UUID.fromString((String) found.get(0));
        em.createNativeQuery("""
                        UPDATE task SET state = 'running', worker = :worker, started_at = clock_timestamp()
                        WHERE pulp_id = :id AND state = 'waiting'""")
                .setParameter("worker", worker).setParameter("id", id).executeUpdate();
        return Optional.of(id);
    }

    /** Records the end of a task this worker runs; false if it was no longer its task (e.g. reaped meanwhile). */
    boolean finish(UUID id, String worker, TaskState state, JsonNode result, JsonNode error, List<ProgressReport> reports) {
        // NULLIF maps a JSON null to SQL NULL, so null values need no typed null binding.
        int updated = em.createNativeQuery("""
                        UPDATE task SET state = :state, finished_at = clock_timestamp(),
                            result = NULLIF(CAST(:result AS jsonb), 'null'),
                            error = NULLIF(CAST(:error AS jsonb), 'null'),
                            progress_reports = CAST(:reports AS jsonb)
                        WHERE pulp_id = :id AND worker = :worker AND state IN ('running', 'canceling')""")
                .setParameter("state", state.value())
                .setParameter("result", write(result))
                .setParameter("error", write(error))
                .setParameter("reports", write(reports))
                .setParameter("id", id)
                .setParameter("worker", worker)
                .executeUpdate();
        notifyWorkers();
        return updated == 1;
    }

    void saveProgress(UUID id, List<ProgressReport> reports) {
        updateActive(id, "progress_reports", write(reports));
    }

    void saveCreatedResources(UUID id, List<String> hrefs) {
        updateActive(id, "created_resources", write(hrefs));
    }

    Optional<TaskState> state(UUID id) {
        List<?> rows = em.createNativeQuery("SELECT state FROM task WHERE pulp_id = :id").setParameter("id", id).getResultList();
        return rows.stream().findFirst().flatMap(s -> TaskState.parse((String) s));
    }

    /** Waiting becomes canceled at once; running becomes canceling. False when the task was in neither state. */
    boolean cancel(UUID id) {
        int updated = em.createNativeQuery("""
                        UPDATE task SET
                            state = CASE state WHEN 'waiting' THEN 'canceled' ELSE 'canceling' END,
                            finished_at = CASE state WHEN 'waiting' THEN clock_timestamp() END
                        WHERE pulp_id = :id AND state IN ('waiting', 'running')""")
                .setParameter("id", id).executeUpdate();
        if (updated == 1) {
            notifyWorkers(); // a canceled waiting task may have been all that blocked later ones
        }
        return updated == 1;
    }

    /** Deletes a finished task; false when it is not (or no longer) finished or does not exist. */
    boolean deleteFinished(UUID id) {
        return em.createNativeQuery("DELETE FROM task WHERE pulp_id = :id AND state IN ('completed', 'failed', 'canceled')")
                .setParameter("id", id).executeUpdate() == 1;
    }

    void register(String worker) {
        em.createNativeQuery("""
                        INSERT INTO worker (name) VALUES (:name)
                        ON CONFLICT (name) DO UPDATE SET last_heartbeat = now()""")
                .setParameter("name", worker).executeUpdate();
    }

    /** False when the worker row was gone, i.e. another process had presumed this one dead. */
    boolean heartbeat(String worker) {
        return em.createNativeQuery("UPDATE worker SET last_heartbeat = now() WHERE name = :name")
                .setParameter("name", worker).executeUpdate() == 1;
    }

    /** Workers whose heartbeat is recent enough that the reaper would spare them, oldest first. */
    List<OnlineWorker> onlineWorkers(java.time.Duration timeout) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT name, started_at, last_heartbeat FROM worker
                        WHERE last_heartbeat >= now() - make_interval(secs => :timeout)
                        ORDER BY started_at, name""")
                .setParameter("timeout", (double) timeout.toSeconds()).getResultList();
        return rows.stream().map(r -> new OnlineWorker((String) r[0], toInstant(r[1]), toInstant(r[2]))).toList();
    }

    private static java.time.Instant toInstant(Object value) {
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        return (java.time.Instant) value;
    }

    void unregister(String worker) {
        em.createNativeQuery("DELETE FROM worker WHERE name = :name").setParameter("name", worker).executeUpdate();
    }

    /** Fails the tasks of dead workers and deletes their rows; returns a description of each failed task. */
    @SuppressWarnings("unchecked")
    List<String> reap(Duration timeout) {
        return em.createNativeQuery(REAP).setParameter("timeout", timeout.toMillis() / 1000.0).getResultList();
    }

    /** Fails a task this worker gave up on at shutdown. */
    void abandon(UUID id, String worker, String description) {
        em.createNativeQuery("""
                        UPDATE task SET state = 'failed', finished_at = clock_timestamp(),
                            error = jsonb_build_object('description', CAST(:description AS text))
                        WHERE pulp_id = :id AND worker = :worker AND state IN ('running', 'canceling')""")
                .setParameter("description", description).setParameter("id", id).setParameter("worker", worker)
                .executeUpdate();
    }

    /** Wakes idle workers in every process (LISTEN/NOTIFY); delivered when the transaction commits. */
    private void notifyWorkers() {
        em.createNativeQuery("NOTIFY " + CHANNEL).executeUpdate();
    }

    private void updateActive(UUID id, String column, String value) {
        em.createNativeQuery("UPDATE task SET " + column + " = CAST(:value AS jsonb)"
                        + " WHERE pulp_id = :id AND state IN ('running', 'canceling')")
                .setParameter("value", value).setParameter("id", id).executeUpdate();
    }

    private TaskView view(Task t) {
        return new TaskView(t.pulpId, t.name, TaskState.parse(t.state).orElseThrow(), t.parameters,
                List.of(t.exclusiveResources), List.of(t.sharedResources), t.createdBy, t.worker,
                t.pulpCreated, t.startedAt, t.finishedAt, t.error,
                json.convertValue(t.progressReports, REPORTS), json.convertValue(t.createdResources, STRINGS), t.result);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write task data as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
