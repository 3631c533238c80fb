package io.sigil.api;

import io.sigil.auth.CurrentUser;
import io.sigil.common.ApiException;
import io.sigil.tasks.TaskPurge;
import io.sigil.tasks.TaskState;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

/** {@code POST /tasks/purge/}: deletes finished task records; an admin's purge covers everyone's, a user's their own. */
@Path("/pulp/api/v3/tasks/purge/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TaskPurgeResource {

    @Inject
    TaskPurge purge;
    @Inject
    CurrentUser user;

    /**
     * @param finished_before a date ({@code 2026-01-31}) or date-time; default 30 days ago
     * @param states          final states to purge ({@code completed}, {@code failed}, {@code canceled}); default completed
     */
    public record PurgeRequest(String finished_before, List<String> states) {
    }

    @POST
    @Operation(operationId = "tasks_purge", summary = "Delete the records of tasks that ended before a time (a task)")
    @ResponseStatus(202)
    public AsyncOperationResponse purge(PurgeRequest request) {
        OffsetDateTime before = finishedBefore(request == null ? null : request.finished_before());
        Set<TaskState> states = states(request == null ? null : request.states());
        String owner = user.isAdmin() ? null : user.username();
        return RepositoryResource.accepted(purge.purge(before, states, owner, user.username()));
    }

    private static OffsetDateTime finishedBefore(String text) {
        if (text == null) {
            return OffsetDateTime.now(ZoneOffset.UTC).minusDays(30);
        }
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC)
                    : OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw ApiException.field("finished_before", "Datetime has wrong format. Use YYYY-MM-DD[Thh:mm[:ss][+HH:MM|Z]].");
            }
        }
    }

    private static Set<TaskState> states(List<String> names) {
        if (names == null || names.isEmpty()) {
            return EnumSet.of(TaskState.COMPLETED);
        }
        Set<TaskState> states = EnumSet.noneOf(TaskState.class);
        for (String name : names) {
            TaskState state = TaskState.parse(name).filter(TaskState::isFinal).orElseThrow(() -> ApiException.field("states",
                    "\"" + name + "\" is not a valid choice: only final states (completed, failed, canceled) can be purged"));
            states.add(state);
        }
        return states;
    }
}
