package io.sigil.tasks;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Task groups, as Pulp has them: tasks dispatched together for one request, followed as a whole
 * ({@code /task-groups/}: how many of them are waiting, running, completed...). A group is opened, tasks are
 * dispatched into it, then it is closed ({@code all_tasks_dispatched}).
 */
@ApplicationScoped
public class TaskGroups {

    @Inject
    EntityManager em;
    @Inject
    TaskDispatcher dispatcher;

    /** A group with the count of its tasks per state and the tasks themselves (oldest first). */
    public record Group(UUID id, String description, boolean allTasksDispatched, OffsetDateTime created,
                        Map<String, Long> states, List<Member> tasks) {
    }

    public record Member(UUID id, String name, String state) {
        public String href() {
            return new TaskRef(id).href();
        }
    }

    public record GroupPage(long count, List<Group> groups) {
    }

    @Transactional
    public UUID open(String description) {
        UUID id = UUID.randomUUID();
        em.createNativeQuery("INSERT INTO task_group (pulp_id, description) VALUES (?1, ?2)")
                .setParameter(1, id).setParameter(2, description).executeUpdate();
        return id;
    }

    /** Dispatches a task as {@link TaskDispatcher#dispatch} does, as a member of {@code group}. */
    public TaskRef dispatch(UUID group, String name, Object parameters, List<String> exclusive, List<String> shared,
                            String user) {
        TaskRef task = dispatcher.dispatch(name, parameters, exclusive, shared, user);
        // The dispatch committed its task already; the link is a second short transaction.
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "UPDATE task SET task_group_id = (SELECT id FROM task_group WHERE pulp_id = ?1) WHERE pulp_id = ?2")
                .setParameter(1, group).setParameter(2, task.id()).executeUpdate());
        return task;
    }

    @Transactional
    public void close(UUID group) {
        em.createNativeQuery("UPDATE task_group SET all_tasks_dispatched = true WHERE pulp_id = ?1")
                .setParameter(1, group).executeUpdate();
    }

    @Transactional
    public GroupPage list(int offset, int limit) {
        long count = ((Number) em.createNativeQuery("SELECT count(*) FROM task_group").getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<UUID> ids = em.createNativeQuery("SELECT pulp_id FROM task_group ORDER BY id DESC OFFSET ?1 LIMIT ?2", UUID.class)
                .setParameter(1, offset).setParameter(2, limit).getResultList();
        List<Group> groups = new ArrayList<>();
        for (UUID id : ids) {
            find(id).ifPresent(groups::add);
        }
        return new GroupPage(count, groups);
    }

    @Transactional
    public Group get(UUID id) {
        return find(id).orElseThrow(() -> ApiException.notFound("Not found."));
    }

    private Optional<Group> find(UUID id) {
        return Sql.with(em, sql -> {
            List<Object[]> rows = sql.query("SELECT id, description, all_tasks_dispatched, pulp_created FROM task_group "
                    + "WHERE pulp_id = ?", rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getBoolean(3),
                    rs.getObject(4, OffsetDateTime.class)}, id);
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            Object[] row = rows.get(0);
            List<Member> members = sql.query("SELECT pulp_id, name, state FROM task WHERE task_group_id = ? ORDER BY pulp_created, id",
                    rs -> new Member(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)), row[0]);
            Map<String, Long> states = new LinkedHashMap<>();
            for (TaskState state : TaskState.values()) {
                states.put(state.value(), members.stream().filter(m -> m.state().equals(state.value())).count());
            }
            return Optional.of(new Group(id, (String) row[1], (Boolean) row[2], (OffsetDateTime) row[3], states, members));
        });
    }
}
