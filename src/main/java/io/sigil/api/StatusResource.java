package io.sigil.api;

import io.sigil.storage.BlobStore;
import io.sigil.storage.StorageStatus;
import io.sigil.tasks.OnlineWorker;
import io.sigil.tasks.Workers;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Pulp's status document: database, storage and the online workers with their last heartbeat. */
@Path("/pulp/api/v3/status/")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    @Inject
    DataSource dataSource;

    @Inject
    BlobStore blobStore;

    @Inject
    Workers workers;

    @GET
    public Map<String, Object> status() {
        boolean dbUp = databaseAnswers();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("versions", List.of(Map.of("component", "sigil", "version", "0.1.0")));
        status.put("database_connection", Map.of("connected", dbUp));
        status.put("storage", blobStore.status());
        status.put("online_workers", dbUp ? workers.online().stream().map(StatusResource::view).toList() : List.of());
        return status;
    }

    private boolean databaseAnswers() {
        try (var c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<String, Object> view(OnlineWorker worker) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", worker.name());
        view.put("pulp_created", worker.startedAt().toString());
        view.put("last_heartbeat", worker.lastHeartbeat().toString());
        return view;
    }
}
