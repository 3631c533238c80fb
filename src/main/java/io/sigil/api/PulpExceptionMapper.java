package io.sigil.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sigil.common.ApiException;
import io.sigil.common.DatabaseUnavailable;
import io.sigil.storage.StorageFull;
import io.sigil.storage.InvalidDigestException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place that turns exceptions into Pulp-style JSON errors for {@code /pulp/api/v3}. */
public class PulpExceptionMapper {

    private static final Logger LOG = Logger.getLogger(PulpExceptionMapper.class);

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return json(e.status(), e.body());
    }

    /** Bean Validation of a request body: Pulp's {@code {"field": ["message"]}}, one entry per field. */
    @ServerExceptionMapper
    public Response invalidBody(ConstraintViolationException e) {
        Map<String, List<String>> fields = new TreeMap<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            String field = "non_field_errors";
            for (jakarta.validation.Path.Node node : violation.getPropertyPath()) {
                if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                    field = node.getName() == null ? field : node.getName();
                }
            }
            fields.computeIfAbsent(field, f -> new ArrayList<>()).add(violation.getMessage());
        }
        return json(400, fields);
    }

    @ServerExceptionMapper
    public Response invalidDigest(InvalidDigestException e) {
        return json(400, Map.of("detail", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return json(400, Map.of("detail", "request body is not valid JSON: " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String message = e.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase() : e.getMessage();
        return json(status, Map.of("detail", message));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (DatabaseUnavailable.causes(e)) {
            LOG.warnf("answered 503: the database is unavailable (%s)", e.getMessage());
            return Response.fromResponse(json(503, Map.of("detail", DatabaseUnavailable.MESSAGE)))
                    .header("Retry-After", DatabaseUnavailable.RETRY_AFTER_SECONDS).build();
        }
        if (StorageFull.causes(e)) {
            LOG.warnf("answered 507: %s", StorageFull.MESSAGE);
            return json(507, Map.of("detail", StorageFull.MESSAGE));
        }
        LOG.error("unexpected error", e);
        return json(500, Map.of("detail", "internal error: " + e.getClass().getSimpleName()));
    }

    static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
