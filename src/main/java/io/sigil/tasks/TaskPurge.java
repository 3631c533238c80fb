package io.sigil.tasks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Pulp's {@code POST /tasks/purge/}: deletes the records of tasks that ended (in the given final states) before a
 * time. An admin purges everyone's; any other user only the tasks they dispatched. A task, so it shows in the list.
 */
@ApplicationScoped
public class TaskPurge {

    public static final String PURGE = "tasks.purge";
    private static final Logger LOG = Logger.getLogger(TaskPurge.class);

    @Inject
    TaskDispatcher dispatcher;

    /** {@code owner}: only tasks created by this user; null for everyone's (admins). */
    record PurgeParameters(OffsetDateTime finishedBefore, Set<String> states, String owner) {
    }

    public TaskRef purge(OffsetDateTime finishedBefore, Set<TaskState> states, String owner, String user) {
        Set<String> names = new java.util.TreeSet<>();
        states.forEach(s -> names.add(s.value()));
        return dispatcher.dispatch(PURGE, new PurgeParameters(finishedBefore, names, owner), List.of(), List.of(), user);
    }

    @ApplicationScoped
    static class Purge implements TaskHandler {
        @Inject
        EntityManager em;
        @Inject
        com.fasterxml.jackson.databind.ObjectMapper mapper;

        @Override
        public String name() {
            return PURGE;
        }

        @Override
        public Object run(TaskContext context) throws Exception {
            var p = mapper.treeToValue(context.parameters(), PurgeParameters.class);
            LOG.infof("task %s: purging %s tasks finished before %s%s", context.taskId(), p.states(), p.finishedBefore(),
                    p.owner() == null ? "" : " dispatched by " + p.owner());
            @SuppressWarnings("unchecked")
            List<String> deleted = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                    DELETE FROM task WHERE state = ANY(CAST(?1 AS text[])) AND finished_at < ?2
                      AND (CAST(?3 AS text) IS NULL OR created_by = ?3) AND pulp_id <> ?4 RETURNING state""")
                    .setParameter(1, p.states().toArray(String[]::new)).setParameter(2, p.finishedBefore())
                    .setParameter(3, p.owner()).setParameter(4, context.taskId()).getResultList());
            Map<String, Long> byState = new LinkedHashMap<>();
            p.states().forEach(s -> byState.put(s, deleted.stream().filter(s::equals).count()));
            context.progress("tasks.purge", "Purged task records", deleted.size(), (long) deleted.size());
            LOG.infof("task %s: purged %d task records", context.taskId(), deleted.size());
            return Map.of("deleted", deleted.size(), "deleted_by_state", byState);
        }
    }
}
