package io.sigil.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.sigil.common.ApiException;
import io.sigil.common.DatabaseUnavailable;
import io.sigil.storage.StorageFull;
import io.sigil.common.StrictJson;
import io.sigil.storage.InvalidDigestException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that turns exceptions into Pulp-style JSON errors for {@code /pulp/api/v3}: Django REST framework's
 * shapes, {@code {"field": ["message"]}} for a field's value and {@code {"detail": "..."}} for everything else.
 */
public class PulpExceptionMapper {

    private static final Logger LOG = Logger.getLogger(PulpExceptionMapper.class);
    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return json(e.status(), e.body());
    }

    @ServerExceptionMapper
    public Response invalidDigest(InvalidDigestException e) {
        return json(400, Map.of("detail", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return json(400, jsonError(e));
    }

    // The more specific types are named too, so that these win over the JSON provider's own mappers.
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return json(400, jsonError(e));
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return json(400, jsonError(e));
    }

    @ServerExceptionMapper
    public Response unrecognizedProperty(UnrecognizedPropertyException e) {
        return json(400, jsonError(e));
    }

    @ServerExceptionMapper
    public Response invalidBody(ResteasyReactiveViolationException e) {
        return violations(e);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        return violations(e);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(400, jsonError(json));
        }
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

    /**
     * A body Jackson could not read. Syntax errors are DRF's {@code JSON parse error - ...}; a value of the wrong type
     * or an undeclared field is an error on that field; a body that is not an object is a {@code non_field_errors}.
     */
    static Map<String, Object> jsonError(JsonProcessingException e) {
        if (e instanceof StreamReadException && !(e instanceof DatabindException)) {
            return Map.of("detail", "JSON parse error - " + e.getOriginalMessage());
        }
        if (!(e instanceof JsonMappingException mapping)) {
            return Map.of("detail", "JSON parse error - " + e.getOriginalMessage());
        }
        String field = fieldOf(mapping.getPath());
        if (e instanceof UnrecognizedPropertyException unknown) {
            // Named by its whole path (signature_policy.exactly), so a nested unknown field is told apart from a top one.
            return Map.of(field == null ? unknown.getPropertyName() : field, List.of("Unexpected field; this endpoint does not take it."));
        }
        if (field == null) {
            return Map.of("non_field_errors", List.of("Invalid data. Expected a JSON object" + expectedHint(e) + "."));
        }
        return Map.of(field, List.of(valueMessage(e)));
    }

    private static String valueMessage(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.contains(StrictJson.NUL_MESSAGE)) {
            return StrictJson.NUL_MESSAGE;
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "Incorrect type. Expected " + describe(mismatch.getTargetType()) + ".";
        }
        return "Invalid value.";
    }

    private static String expectedHint(JsonProcessingException e) {
        return e instanceof MismatchedInputException m && m.getTargetType() != null && Collection.class.isAssignableFrom(m.getTargetType())
                ? " list" : "";
    }

    private static String describe(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }

    /** The JSON path of the failing value, as DRF names nested fields: {@code outer.inner} / {@code list.0}. */
    private static String fieldOf(List<JsonMappingException.Reference> path) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference ref : path) {
            parts.add(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return parts.isEmpty() ? null : String.join(".", parts);
    }

    /** Bean Validation failures of a body: each field with its messages, in DRF's shape. */
    private static Response violations(ConstraintViolationException e) {
        Map<String, Set<String>> byField = new LinkedHashMap<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            // Record components carry their constraints on the field and the accessor: one message each, not two.
            byField.computeIfAbsent(fieldOf(violation.getPropertyPath()), f -> new LinkedHashSet<>()).add(violation.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        byField.forEach((field, messages) -> body.put(field, List.copyOf(messages)));
        return json(400, body);
    }

    private static String fieldOf(Path path) {
        List<String> parts = new ArrayList<>();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                if (node.getName() != null && !node.getName().startsWith("<")) {
                    parts.add(SNAKE_CASE.translate(node.getName()));
                }
                if (node.getIndex() != null) {
                    parts.add(String.valueOf(node.getIndex()));
                }
            }
        }
        return parts.isEmpty() ? "non_field_errors" : String.join(".", parts);
    }
}
