package io.sigil.common;

import java.util.List;
import java.util.Map;

/**
 * A failure to report to the client: an HTTP status and a Pulp-style JSON body ({@code {"detail": ...}} or
 * {@code {"field": ["message"]}}). Services throw it; the one mapper in the api package writes it.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final Map<String, Object> body;

    public ApiException(int status, Map<String, Object> body, String message) {
        super(message);
        this.status = status;
        this.body = body;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, Map.of("detail", detail), detail);
    }

    public static ApiException field(String field, String message) {
        return new ApiException(400, Map.of(field, List.of(message)), field + ": " + message);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, Map.of("detail", detail), detail);
    }

    public static ApiException conflict(String detail, Map<String, Object> extra) {
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("detail", detail);
        body.putAll(extra);
        return new ApiException(409, body, detail);
    }

    public static ApiException conflict(String detail) {
        return conflict(detail, Map.of());
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }
}
