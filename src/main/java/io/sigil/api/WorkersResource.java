package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.common.Prn;
import io.sigil.tasks.TaskRef;
import io.sigil.tasks.WorkerList;
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
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /workers/}: the task workers of every Sigil process, from their heartbeats. */
@Path("/pulp/api/v3/workers/")
@Produces(MediaType.APPLICATION_JSON)
public class WorkersResource {

    @Inject
    WorkerList workers;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record WorkerView(String pulpHref, String prn, OffsetDateTime pulpCreated, String name,
                             OffsetDateTime lastHeartbeat, boolean online, String currentTask) {
        static WorkerView of(WorkerList.Worker w) {
            return new WorkerView(w.href(), Prn.of(Prn.WORKER, w.id()), w.started(), w.name(), w.lastHeartbeat(),
                    w.online(), w.currentTask() == null ? null : new TaskRef(w.currentTask()).href());
        }
    }

    @GET
    @Operation(operationId = "workers_list", summary = "List task workers; online=true|false narrows by heartbeat")
    public Page<WorkerView> list(@QueryParam("name") String name, @QueryParam("online") Boolean online,
                                 @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                 @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        WorkerList.WorkerPage found = workers.list(name, online, page.offset(), page.limit());
        return Page.of(uri, page, found.count(), found.workers().stream().map(WorkerView::of).toList());
    }

    @GET
    @Path("{id}/")
    @Operation(operationId = "workers_read", summary = "Read a task worker")
    public WorkerView get(@PathParam("id") String id) {
        return WorkerView.of(workers.get(TaskGroupsResource.uuid(id)));
    }
}
