package io.sigil.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.common.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a partial-update body (where "absent" and "null" mean different things, so the resource keeps the JSON tree)
 * to its record with the same strict mapper and Bean Validation as every other body, before anything is changed.
 */
@ApplicationScoped
public class RequestBodies {

    @Inject
    ObjectMapper json;
    @Inject
    Validator validator;

    public <T> T bind(JsonNode body, Class<T> type) {
        if (body == null || !body.isObject()) {
            throw new ApiException(400, Map.of("non_field_errors", List.of("Invalid data. Expected a JSON object.")),
                    "body is not a JSON object");
        }
        T value;
        try {
            value = json.treeToValue(body, type);
        } catch (JsonProcessingException e) {
            Map<String, Object> error = PulpExceptionMapper.jsonError(e);
            throw new ApiException(400, error, error.toString());
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return value;
    }
}
