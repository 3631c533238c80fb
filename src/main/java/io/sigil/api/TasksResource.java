package io.sigil.api;

import io.sigil.auth.CurrentUser;
import io.sigil.common.ApiException;
import io.sigil.tasks.TaskDispatcher;
import io.sigil.tasks.TaskFilter;
import io.sigil.tasks.TaskList;
import io.sigil.tasks.TaskState;
import io.sigil.tasks.TaskView;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /pulp/api/v3/tasks/}: list, show, cancel (PATCH state=canceled) and delete finished tasks. */
@Path("/pulp/api/v3/tasks/")
@Produces(MediaType.APPLICATION_JSON)
public class TasksResource {

    @Inject
    TaskDispatcher tasks;

    @Inject
    CurrentUser currentUser;

    /** The PATCH body; only {@code "canceled"} is accepted, as in Pulp. */
    public record StateChange(String state) {
    }

    /**
     * Pulp's resource filters, which pulp-cli's task list sends (as empty lists when unused). Sigil's lock names are
     * not hrefs yet, so a value is refused in words rather than ignored.
     */
    public static class ResourceFilters {
        @QueryParam("reserved_resources")
        public String reserved;
        @QueryParam("reserved_resources__in")
        public String reservedIn;
        @QueryParam("exclusive_resources")
        public String exclusive;
        @QueryParam("exclusive_resources__in")
        public String exclusiveIn;
        @QueryParam("shared_resources")
        public String shared;
        @QueryParam("shared_resources__in")
        public String sharedIn;

        void refuseAny(UriInfo uri) {
            for (String name : uri.getQueryParameters().keySet()) {
                if (name.contains("_resources")) {
                    throw ApiException.field(name, "Filtering tasks by resource is not supported by this server yet.");
                }
            }
        }
    }

    @GET
    @Operation(summary = "List tasks, newest first")
    public Page<TaskResponse> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
            @QueryParam("state") String state, @QueryParam("state__in") String stateIn,
            @QueryParam("name") String name, @BeanParam ResourceFilters resources, @Context UriInfo uri) {
        resources.refuseAny(uri);
        PageRequest page = PageRequest.of(limit, offset);
        TaskList found = tasks.list(new TaskFilter(states(state, stateIn), name), page.offset(), page.limit());
        return Page.of(uri, page, found.count(), found.tasks().stream().map(this::view).toList());
    }

    @GET
    @Path("{id}/")
    public TaskResponse get(@PathParam("id") String id) {
        return view(tasks.get(uuid(id)));
    }

    @PATCH
    @Path("{id}/")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "tasks_cancel", summary = "Cancel a task: {\"state\": \"canceled\"}")
    public TaskResponse cancel(@PathParam("id") String id, StateChange change) {
        UUID task = uuid(id);
        if (change == null || change.state() == null) {
            throw ApiException.field("state", "This field is required.");
        }
        if (!TaskState.CANCELED.value().equals(change.state())) {
            throw ApiException.field("state", "\"" + change.state() + "\" is not a valid choice; only \"canceled\" is.");
        }
        requireOwnerOrAdmin(tasks.get(task), "cancel");
        return view(tasks.cancel(task));
    }

    @DELETE
    @Path("{id}/")
    public void delete(@PathParam("id") String id) {
        UUID task = uuid(id);
        requireOwnerOrAdmin(tasks.get(task), "delete");
        tasks.delete(task);
    }

    /** Admins see a failed task's traceback; others its message only (a trace tells an attacker about the server). */
    private TaskResponse view(TaskView task) {
        return TaskResponse.of(task, currentUser.isAdmin());
    }

    /** Only the user who dispatched a task, or an admin, may cancel or delete it. */
    private void requireOwnerOrAdmin(TaskView task, String action) {
        if (!currentUser.isAdmin() && (task.createdBy() == null || !task.createdBy().equals(currentUser.username()))) {
            throw new ApiException(403, java.util.Map.of("detail", "Only the user who started task " + task.id()
                    + ", or an admin, may " + action + " it."), "not the task's owner");
        }
    }

    /** {@code state} and {@code state__in} both narrow the result; null means no state filter. */
    private static Set<TaskState> states(String state, String stateIn) {
        Set<TaskState> states = null;
        if (state != null) {
            states = EnumSet.of(parseState("state", state));
        }
        if (stateIn != null) {
            Set<TaskState> in = EnumSet.noneOf(TaskState.class);
            Arrays.stream(stateIn.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .forEach(s -> in.add(parseState("state__in", s)));
            if (states == null) {
                states = in;
            } else {
                states.retainAll(in);
            }
        }
        return states;
    }

    private static TaskState parseState(String field, String value) {
        return TaskState.parse(value).orElseThrow(() -> ApiException.field(field,
                "Select a valid choice. " + value + " is not one of the available choices."));
    }

    /** A malformed id names no task: 404, as Pulp answers. */
    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Not found.");
        }
    }
}
