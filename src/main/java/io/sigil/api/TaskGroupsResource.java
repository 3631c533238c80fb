package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.common.ApiException;
import io.sigil.common.Prn;
import io.sigil.tasks.TaskGroups;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /task-groups/}: tasks dispatched together, with how many are in each state. */
@Path("/pulp/api/v3/task-groups/")
@Produces(MediaType.APPLICATION_JSON)
public class TaskGroupsResource {

    static final String HREFS = "/pulp/api/v3/task-groups/";

    @Inject
    TaskGroups groups;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MemberView(String pulpHref, String prn, String name, String state) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TaskGroupView(String pulpHref, String prn, OffsetDateTime pulpCreated, String description,
                                boolean allTasksDispatched, long waiting, long skipped, long running, long completed,
                                long canceled, long failed, long canceling, List<Object> groupProgressReports,
                                List<MemberView> tasks) {
        static TaskGroupView of(TaskGroups.Group g) {
            var s = g.states();
            return new TaskGroupView(HREFS + g.id() + "/", Prn.of(Prn.TASK_GROUP, g.id()), g.created(), g.description(),
                    g.allTasksDispatched(), s.get("waiting"), 0, s.get("running"), s.get("completed"), s.get("canceled"),
                    s.get("failed"), s.get("canceling"), List.of(), g.tasks().stream().map(t -> new MemberView(t.href(),
                    Prn.of(Prn.TASK, t.id()), t.name(), t.state())).toList());
        }
    }

    @GET
    @Operation(operationId = "task_groups_list", summary = "List task groups, newest first")
    public Page<TaskGroupView> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                    @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        TaskGroups.GroupPage found = groups.list(page.offset(), page.limit());
        return Page.of(uri, page, found.count(), found.groups().stream().map(TaskGroupView::of).toList());
    }

    @GET
    @Path("{id}/")
    @Operation(operationId = "task_groups_read", summary = "Read a task group")
    public TaskGroupView get(@PathParam("id") String id) {
        return TaskGroupView.of(groups.get(uuid(id)));
    }

    /** A malformed id names nothing: 404, as Pulp answers. */
    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Not found.");
        }
    }
}
