package io.sigil.api;

import io.sigil.common.ContentOrigin;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.auth.AccessLevel;
import io.sigil.auth.Authorized;
import io.sigil.storage.BlobStore;
import io.sigil.storage.StorageStatus;
import io.sigil.tasks.Workers;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /pulp/api/v3/status/} in Pulp's shape (what {@code pulp status} prints and compares with the document). */
@Path("/pulp/api/v3/status/")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    @Inject
    DataSource dataSource;

    @Inject
    ContentOrigin origin;

    @Inject
    BlobStore blobStore;

    @Inject
    Workers onlineWorkers;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record VersionView(String component, String version, @JsonProperty("package") String packageName,
                              String module, boolean domainCompatible) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AppStatus(String name, OffsetDateTime lastHeartbeat, List<VersionView> versions) {
    }

    public record Connected(boolean connected) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ContentSettings(String contentOrigin, String contentPathPrefix) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Status(List<VersionView> versions, List<AppStatus> onlineWorkers, List<AppStatus> onlineApiApps,
                         List<AppStatus> onlineContentApps, Connected databaseConnection, Connected redisConnection,
                         ContentSettings contentSettings, boolean domainEnabled, StorageStatus storage) {
    }

    @GET
    @Authorized(AccessLevel.PUBLIC)
    @Operation(operationId = "status_read", summary = "Versions, workers and database connection of this server")
    public Status status() {
        List<VersionView> versions = PulpVersions.COMPONENTS.stream()
                .map(c -> new VersionView(c.component(), c.version(), c.packageName(), c.module(), false)).toList();
        List<AppStatus> workers = new ArrayList<>();
        boolean dbUp;
        try (Connection c = dataSource.getConnection()) {
            dbUp = c.isValid(2);
        } catch (SQLException e) {
            dbUp = false;
        }
        if (dbUp) {
            // Only workers the reaper would spare: a crashed process's row lingers until reaped.
            onlineWorkers.online().forEach(w -> workers.add(new AppStatus(w.name(),
                    w.lastHeartbeat().atOffset(java.time.ZoneOffset.UTC), versions)));
        }
        // The API and the registry (Sigil's content app) are served by this very process; the origin clients use is
        // configured (sigil.content-origin), never taken from the request.
        List<AppStatus> self = List.of(new AppStatus(origin.uri().getAuthority(), OffsetDateTime.now(), versions));
        return new Status(versions, workers, self, self, new Connected(dbUp), new Connected(false),
                new ContentSettings(origin.uri().toString(), "/v2/"), false, blobStore.status());
    }
}
