package io.sigil.api;

import io.sigil.common.ContentOrigin;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import javax.sql.DataSource;

@Path("/pulp/api/v3/status/")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    @Inject
    DataSource dataSource;

    @Inject
    ContentOrigin origin;

    @GET
    public Map<String, Object> status() {
        boolean dbUp;
        try (var c = dataSource.getConnection()) {
            dbUp = c.isValid(2);
        } catch (Exception e) {
            dbUp = false;
        }
        return Map.of(
                "versions", java.util.List.of(Map.of("component", "sigil", "version", "0.1.0")),
                "database_connection", Map.of("connected", dbUp),
                "content_settings", Map.of("content_origin", origin.uri().toString(), "content_path_prefix", "/v2/"));
    }
}
