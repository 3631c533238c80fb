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

    /**
     * Fails the active tasks of workers silent for too long (and of workers whose row vanished), deleting the rows.
     * A task whose row a version write holds (see {@link #holdRunning}) is skipped: that write commits first, and the
     * task is looked at again on the next round, when its worker has either come back or not.
     */
    private static final String REAP = """
            WITH dead AS (
                DELETE FROM worker WHERE last_heartbeat < now() - make_interval(secs => :timeout) RETURNING name),
            victims AS (
                SELECT t.id FROM task t
                WHERE t.state IN ('running', 'canceling')
                  AND (t.worker IN (SELECT name FROM dead)
                       OR (t.started_at < now() - make_interval(secs => :timeout)
                           AND NOT EXISTS (SELECT 1 FROM worker w WHERE w.name = t.worker)))
                FOR UPDATE OF t SKIP LOCKED)
            UPDATE task t SET state = 'failed', finished_at = clock_timestamp(),
                error = jsonb_build_object('description', format('worker %s died', coalesce(t.worker, '(none)')))
            FROM victims v WHERE t.id = v.id
            RETURNING CAST(t.pulp_id AS text) || ' of worker ' || coalesce(t.worker, '(none)')""";

    /** Ends active tasks matching {@code :condition} that no version write holds at the moment. */
    private static final String END_UNLESS_HELD = """
            UPDATE task SET state = :state, finished_at = clock_timestamp(),
                error = jsonb_build_object('description', CAST(:description AS text))
            WHERE id IN (SELECT t.id FROM task t WHERE t.state IN ('running', 'canceling') AND %s
                         FOR UPDATE OF t SKIP LOCKED)
            RETURNING CAST(pulp_id AS text)""";

    /** created_resources with the hrefs of the JSON array {@code :hrefs} it lacks appended. */
    private static final String APPENDED = """
            created_resources || coalesce((SELECT jsonb_agg(h) FROM jsonb_array_elements(CAST(:hrefs AS jsonb)) h
                                           WHERE NOT created_resources @> jsonb_build_array(h)), CAST('[]' AS jsonb))""";

    private static final TypeReference<List<ProgressReport>> REPORTS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    TasksConfig config;

    UUID insert(String name, JsonNode parameters, String[] exclusive, String[] shared, String user) {
        return persist(name, parameters, exclusive, shared, user);
    }

    /** As {@link #insert}, in the caller's transaction: the task exists only if that transaction commits. */
    @Transactional(Transactional.TxType.MANDATORY)
    UUID insertJoining(String name, JsonNode parameters, String[] exclusive, String[] shared, String user) {
        return persist(name, parameters, exclusive, shared, user);
    }

    private UUID persist(String name, JsonNode parameters, String[] exclusive, String[] shared, String user) {
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
    boolean finish(TaskEnd end) {
        // NULLIF maps a JSON null to SQL NULL, so null values need no typed null binding.
        int updated = em.createNativeQuery("""
                        UPDATE task SET state = :state, finished_at = clock_timestamp(),
                            result = NULLIF(CAST(:result AS jsonb), 'null'),
                            error = NULLIF(CAST(:error AS jsonb), 'null'),
                            progress_reports = CAST(:reports AS jsonb)
                        WHERE pulp_id = :id AND worker = :worker AND state IN ('running', 'canceling')""")
                .setParameter("state", end.state().value())
                .setParameter("result", write(end.result()))
                .setParameter("error", write(end.error()))
                .setParameter("reports", write(end.reports()))
                .setParameter("id", end.id())
                .setParameter("worker", end.worker())
                .executeUpdate();
        notifyWorkers();
        return updated == 1;
    }

    void saveProgress(UUID id, List<ProgressReport> reports) {
        updateActive(id, "progress_reports", write(reports));
    }

    /** Adds hrefs to the task's created resources (each once), keeping those recorded by version writes. */
    void saveCreatedResources(UUID id, List<String> hrefs) {
        em.createNativeQuery("UPDATE task SET created_resources = " + APPENDED
                        + " WHERE pulp_id = :id AND state IN ('running', 'canceling')")
                .setParameter("hrefs", write(hrefs)).setParameter("id", id).executeUpdate();
    }

    /** As {@link #saveCreatedResources} in the caller's transaction, and only while the task runs on {@code worker}. */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean appendCreated(UUID id, String worker, String href) {
        return em.createNativeQuery("UPDATE task SET created_resources = " + APPENDED
                        + " WHERE pulp_id = :id AND worker = :worker AND state = 'running'")
                .setParameter("hrefs", write(List.of(href))).setParameter("id", id).setParameter("worker", worker)
                .executeUpdate() == 1;
    }

    Optional<TaskState> state(UUID id) {
        List<?> rows = em.createNativeQuery("SELECT state FROM task WHERE pulp_id = :id").setParameter("id", id).getResultList();
        return rows.stream().findFirst().flatMap(s -> TaskState.parse((String) s));
    }

    /**
     * Waiting becomes canceled at once, and so does a running or canceling task whose worker is gone (no row, or a
     * heartbeat older than the worker timeout): nobody would ever see the request. A running task of a live worker
     * becomes canceling until its handler notices. False when the task was in none of these states.
     */
    boolean cancel(UUID id) {
        boolean ended = em.createNativeQuery("""
                        UPDATE task SET state = 'canceled', finished_at = clock_timestamp()
                        WHERE pulp_id = :id AND state = 'waiting'""")
                .setParameter("id", id).executeUpdate() == 1
                || !endUnlessHeld(TaskState.CANCELED, "canceled: its worker had gone, so nothing was running it any more",
                        """
                        t.pulp_id = CAST(:id AS uuid) AND NOT EXISTS (SELECT 1 FROM worker w WHERE w.name = t.worker
                            AND w.last_heartbeat >= now() - make_interval(secs => :timeout))""",
                        Map.of("id", id.toString(), "timeout", seconds(config.workerTimeout()))).isEmpty();
        boolean changed = ended || em.createNativeQuery("UPDATE task SET state = 'canceling' WHERE pulp_id = :id AND state = 'running'")
                .setParameter("id", id).executeUpdate() == 1;
        if (changed) {
            notifyWorkers(); // a canceled task may have been all that blocked later ones
        }
        return changed;
    }

    /**
     * In the caller's transaction: holds this task's row (FOR KEY SHARE, which progress updates do not wait for but
     * the reaper and forced ends skip) and tells whether the task still runs on {@code worker}. A write made while
     * this holds true commits before anyone can fail the task.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean holdRunning(UUID id, String worker) {
        return !em.createNativeQuery("""
                        SELECT 1 FROM task WHERE pulp_id = :id AND worker = :worker AND state = 'running' FOR KEY SHARE""")
                .setParameter("id", id).setParameter("worker", worker).getResultList().isEmpty();
    }

    /** This worker's tasks that someone asked to cancel. */
    List<UUID> cancelingOn(String worker) {
        List<?> rows = em.createNativeQuery("SELECT CAST(pulp_id AS text) FROM task WHERE worker = :worker AND state = 'canceling'")
                .setParameter("worker", worker).getResultList();
        return rows.stream().map(r -> UUID.fromString((String) r)).toList();
    }

    /** Ends a task of this worker whose handler does not stop, unless a version write holds it right now. */
    boolean forceEnd(UUID id, String worker, TaskState state, String description) {
        return !endUnlessHeld(state, description, "t.pulp_id = CAST(:id AS uuid) AND t.worker = :worker",
                Map.of("id", id.toString(), "worker", worker)).isEmpty();
    }

    /**
     * Fails the tasks the database shows running on this worker that it no longer runs, e.g. one claimed just as the
     * connection broke. {@code active} are the tasks it does run (or still has to record); a task started within
     * {@code grace} is spared, as its claim may not have reached the worker's books yet.
     */
    List<String> failStranded(String worker, java.util.Collection<UUID> active, Duration grace) {
        String ids = active.stream().map(UUID::toString).collect(java.util.stream.Collectors.joining(",", "{", "}"));
        return endUnlessHeld(TaskState.FAILED, "worker " + worker + " lost track of the task (it could not read or record it)",
                """
                t.worker = :worker AND NOT (CAST(t.pulp_id AS text) = ANY(CAST(:active AS text[])))
                  AND t.started_at < now() - make_interval(secs => :grace)""",
                Map.of("worker", worker, "active", ids, "grace", seconds(grace)));
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
        List<String> reaped = em.createNativeQuery(REAP).setParameter("timeout", seconds(timeout)).getResultList();
        if (!reaped.isEmpty()) {
            notifyWorkers(); // the reaped tasks may have been all that blocked later ones
        }
        return reaped;
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

    @SuppressWarnings("unchecked")
    private List<String> endUnlessHeld(TaskState state, String description, String condition, Map<String, Object> params) {
        var query = em.createNativeQuery(END_UNLESS_HELD.formatted(condition))
                .setParameter("state", state.value()).setParameter("description", description);
        params.forEach(query::setParameter);
        List<String> ended = query.getResultList();
        if (!ended.isEmpty()) {
            notifyWorkers();
        }
        return ended;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
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
