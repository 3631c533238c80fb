package io.sigil.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.common.StrictJson;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Query parameters of {@code /pulp/api/v3}, checked against what the resource method declares (the same declarations
 * the OpenAPI document is made from): an undeclared filter, a NUL character, or a value of the wrong type is a 400
 * naming the parameter, instead of being ignored or reaching the database. Every read also takes Pulp's
 * {@code fields} / {@code exclude_fields}, applied here to the JSON answer.
 */
public class QueryParameters {

    public static final String FIELDS = "fields";
    public static final String EXCLUDE_FIELDS = "exclude_fields";
    static final Set<String> ON_EVERY_READ = Set.of(FIELDS, EXCLUDE_FIELDS);
    private static final String API = "/pulp/api/v3/";

    @Inject
    ObjectMapper json;

    /** Declared query parameters (name to Java type) per resource method; as many entries as there are methods. */
    private final Map<Method, Map<String, Class<?>>> declared = new ConcurrentHashMap<>();

    @ServerRequestFilter(priority = Priorities.USER)
    public Response check(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null || !request.getUriInfo().getPath().startsWith(API)) {
            return null;
        }
        Map<String, Class<?>> known = declared.computeIfAbsent(method, QueryParameters::declaredBy);
        boolean read = HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod());
        Map<String, Object> errors = new LinkedHashMap<>();
        request.getUriInfo().getQueryParameters().forEach((name, values) -> {
            String problem = problem(name, values, known, read);
            if (problem != null) {
                errors.put(name.replace('\0', '?'), List.of(problem));
            }
        });
        return errors.isEmpty() ? null : PulpExceptionMapper.json(400, errors);
    }

    private static String problem(String name, List<String> values, Map<String, Class<?>> known, boolean read) {
        if (name.indexOf('\0') >= 0 || values.stream().anyMatch(v -> v.indexOf('\0') >= 0)) {
            return StrictJson.NUL_MESSAGE;
        }
        Class<?> type = known.get(name);
        if (type == null) {
            if (read && ON_EVERY_READ.contains(name)) {
                return null;
            }
            return "Unknown filter for this endpoint; it accepts: " + accepted(known, read) + ".";
        }
        for (String value : values) {
            String wrong = typeProblem(type, value);
            if (wrong != null) {
                return wrong;
            }
        }
        return null;
    }

    private static String accepted(Map<String, Class<?>> known, boolean read) {
        TreeMap<String, Class<?>> all = new TreeMap<>(known);
        if (read) {
            ON_EVERY_READ.forEach(name -> all.put(name, String.class));
        }
        return all.isEmpty() ? "no query parameters" : String.join(", ", all.keySet());
    }

    /** The value's problem for a parameter declared with this Java type (JAX-RS itself would answer 404 or guess). */
    private static String typeProblem(Class<?> type, String value) {
        try {
            if (type == Integer.class || type == int.class) {
                Integer.parseInt(value.trim());
            } else if (type == Long.class || type == long.class) {
                Long.parseLong(value.trim());
            } else if (type == UUID.class) {
                UUID.fromString(value.trim());
            } else if ((type == Boolean.class || type == boolean.class) && !Set.of("true", "false").contains(value)) {
                return "Must be true or false.";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return type == UUID.class ? "Must be a valid UUID." : "A valid integer is required.";
        }
    }

    private static Map<String, Class<?>> declaredBy(Method method) {
        Map<String, Class<?>> names = new LinkedHashMap<>();
        for (Parameter parameter : method.getParameters()) {
            QueryParam query = parameter.getAnnotation(QueryParam.class);
            if (query != null) {
                names.put(query.value(), parameter.getType());
            }
            if (parameter.isAnnotationPresent(BeanParam.class)) {
                for (Field field : parameter.getType().getFields()) {
                    QueryParam inBean = field.getAnnotation(QueryParam.class);
                    if (inBean != null) {
                        names.put(inBean.value(), field.getType());
                    }
                }
            }
        }
        return Map.copyOf(names);
    }

    /** {@code fields=a&fields=b} or {@code fields=a,b} keep only those keys; {@code exclude_fields} drops them. */
    @ServerResponseFilter
    public void selectFields(ContainerRequestContext request, ContainerResponseContext response) {
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
        if (response.getStatus() != 200 || response.getEntity() == null || !request.getUriInfo().getPath().startsWith(API)
                || !(HttpMethod.GET.equals(request.getMethod())) || (!query.containsKey(FIELDS) && !query.containsKey(EXCLUDE_FIELDS))) {
            return;
        }
        Set<String> keep = names(query.get(FIELDS));
        Set<String> drop = names(query.get(EXCLUDE_FIELDS));
        JsonNode tree = json.valueToTree(response.getEntity());
        if (tree.has("results") && tree.has("count") && tree.get("results").isArray()) {
            ((ArrayNode) tree.get("results")).forEach(item -> select(item, keep, drop));
        } else {
            select(tree, keep, drop);
        }
        response.setEntity(tree);
    }

    private static Set<String> names(List<String> values) {
        if (values == null) {
            return Set.of();
        }
        return Set.copyOf(values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
                .filter(s -> !s.isEmpty()).toList());
    }

    private static void select(JsonNode node, Set<String> keep, Set<String> drop) {
        if (node instanceof ObjectNode object) {
            if (!keep.isEmpty()) {
                object.retain(keep);
            }
            object.remove(drop);
        }
    }
}
