package io.sigil.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.PathItem.HttpMethod;
import org.eclipse.microprofile.openapi.models.Paths;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Makes the served OpenAPI document the one Pulp's own client (pulp-glue) reads, by Pulp's rules
 * ({@code pulp-api-contract.md} §1-§3), for every endpoint of {@code /pulp/api/v3} without per-endpoint work:
 * <ul>
 * <li>operationIds from the path: the collection's pieces joined by {@code _} plus the action ({@code list},
 * {@code create}, {@code read}, {@code update}, {@code partial_update}, {@code delete}, or the action segment such as
 * {@code sync}); an explicit {@code @Operation(operationId = ...)} wins;</li>
 * <li>detail and action paths keyed by the href parameter ({@code {container_container_repository_href}sync/}),
 * named from {@link #HREF_PARAMETERS}, else from a path parameter already named {@code *_href}, else from the
 * collection's last piece in the singular;</li>
 * <li>basic authentication on every operation, the Pulp versions Sigil follows in {@code info}, query parameters
 * with their real types, and {@code fields} / {@code exclude_fields} on every read.</li>
 * </ul>
 */
public class PulpApiDocument implements OASFilter {

    static final String API = "/pulp/api/v3/";
    static final String BASIC_AUTH = "basicAuth";
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

    /** Href parameter names of collections whose model name is not their last path piece (Pulp's model names). */
    static final Map<String, String> HREF_PARAMETERS = Map.ofEntries(
            Map.entry("repositories/container/container/", "container_container_repository_href"),
            Map.entry("repositories/container/container/{}/versions/", "container_container_repository_version_href"),
            Map.entry("repositories/container/container-push/", "container_container_push_repository_href"),
            Map.entry("repositories/container/container-push/{}/versions/", "container_container_push_repository_version_href"),
            Map.entry("remotes/container/container/", "container_container_remote_href"),
            Map.entry("distributions/container/container/", "container_container_distribution_href"),
            Map.entry("pulp_container/namespaces/", "container_container_namespace_href"),
            Map.entry("content/container/tags/", "container_tag_href"),
            Map.entry("content/container/manifests/", "container_manifest_href"),
            Map.entry("content/container/blobs/", "container_blob_href"),
            Map.entry("content/container/signatures/", "container_manifest_signature_href"),
            Map.entry("exporters/core/pulp/", "pulp_exporter_href"),
            Map.entry("exporters/core/pulp/{}/exports/", "pulp_pulp_export_href"),
            Map.entry("importers/core/pulp/", "pulp_importer_href"),
            Map.entry("importers/core/pulp/{}/imports/", "pulp_importer_import_href"),
            Map.entry("users/", "auth_user_href"),
            Map.entry("users/{}/roles/", "auth_users_user_role_href"),
            Map.entry("groups/{}/roles/", "groups_group_role_href"),
            Map.entry("groups/{}/users/", "groups_user_href"));

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.setOpenapi("3.0.3");
        describeVersions(openAPI);
        declareBasicAuth(openAPI);
        Paths rewritten = OASFactory.createPaths();
        Map<String, PathItem> original = new TreeMap<>(openAPI.getPaths() == null ? Map.of() : openAPI.getPaths().getPathItems());
        Set<String> collections = collectionsOf(original.keySet());
        Set<String> operationIds = new HashSet<>();
        original.forEach((path, item) -> {
            Route route = Route.of(path, collections);
            item.getOperations().forEach((method, operation) -> {
                boolean named = operation.getOperationId() != null;
                if (named) {
                    operationIds.add(operation.getOperationId());
                } else {
                    operation.setOperationId(unique(route.operationId(method), operationIds));
                }
                if (route.pulp()) {
                    // A create answers 201 (JAX-RS' @ResponseStatus is not read by the scanner).
                    boolean creates = !named && route.kind() == Route.Kind.COLLECTION && method == HttpMethod.POST;
                    shapeOperation(route, method, operation, creates, openAPI.getComponents());
                }
            });
            merge(rewritten, route.servedPath(), item);
        });
        openAPI.setPaths(rewritten);
    }

    private static void describeVersions(OpenAPI openAPI) {
        Map<String, Object> versions = new LinkedHashMap<>();
        PulpVersions.COMPONENTS.forEach(c -> versions.put(c.component(), c.version()));
        openAPI.getInfo().addExtension("x-pulp-app-versions", versions);
        openAPI.getInfo().addExtension("x-pulp-domain-enabled", false);
    }

    private static void declareBasicAuth(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        components.addSecurityScheme(BASIC_AUTH, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"));
        openAPI.setComponents(components);
    }

    private static String unique(String id, Set<String> taken) {
        String candidate = id;
        for (int n = 2; !taken.add(candidate); n++) {
            candidate = id + "_" + n;
        }
        return candidate;
    }

    private static void shapeOperation(Route route, HttpMethod method, Operation operation, boolean creates,
                                       Components components) {
        operation.setSecurity(new ArrayList<>(List.of(OASFactory.createSecurityRequirement().addScheme(BASIC_AUTH))));
        List<Parameter> parameters = new ArrayList<>();
        if (route.hrefParameter() != null) {
            parameters.add(OASFactory.createParameter().name(route.hrefParameter()).in(Parameter.In.PATH).required(true)
                    .schema(OASFactory.createSchema().addType(SchemaType.STRING)));
        }
        if (operation.getParameters() != null) {
            operation.getParameters().stream().filter(p -> p.getIn() != Parameter.In.PATH).map(PulpApiDocument::typed)
                    .forEach(parameters::add);
        }
        if (method == HttpMethod.GET) {
            for (String name : List.of(QueryParameters.FIELDS, QueryParameters.EXCLUDE_FIELDS)) {
                if (parameters.stream().noneMatch(p -> name.equals(p.getName()))) {
                    parameters.add(arrayParameter(name, true).description(name.equals(QueryParameters.FIELDS)
                            ? "A list of fields to include in the response." : "A list of fields to exclude from the response."));
                }
            }
        }
        operation.setParameters(parameters.isEmpty() ? null : parameters);
        answerJsonExactly(operation.getResponses(), creates, components);
    }

    /** Pulp's types for its common query parameters; Sigil's resources read them as text to refuse bad values in words. */
    private static Parameter typed(Parameter parameter) {
        String name = parameter.getName();
        if (name.equals("limit") || name.equals("offset")) {
            parameter.setSchema(OASFactory.createSchema().addType(SchemaType.INTEGER)
                    .minimum(java.math.BigDecimal.valueOf(name.equals("limit") ? 1 : 0))
                    .maximum(name.equals("limit") ? java.math.BigDecimal.valueOf(PageRequest.MAX_LIMIT) : null));
        } else if (name.endsWith("__in") || name.equals("ordering")) {
            return arrayParameter(name, false).description(parameter.getDescription());
        } else if (name.equals(QueryParameters.FIELDS) || name.equals(QueryParameters.EXCLUDE_FIELDS)) {
            return arrayParameter(name, true);
        }
        return parameter;
    }

    private static Parameter arrayParameter(String name, boolean explode) {
        return OASFactory.createParameter().name(name).in(Parameter.In.QUERY).style(Parameter.Style.FORM).explode(explode)
                .schema(OASFactory.createSchema().addType(SchemaType.ARRAY).items(OASFactory.createSchema().addType(SchemaType.STRING)));
    }

    /**
     * pulp-glue matches the response's Content-Type against the declared media types exactly; Sigil answers
     * {@code application/json}. A 200 carrying a task reference is Pulp's 202.
     */
    private static void answerJsonExactly(APIResponses responses, boolean creates, Components components) {
        if (responses == null || responses.getAPIResponses() == null) {
            return;
        }
        Map<String, APIResponse> renamed = new LinkedHashMap<>();
        responses.getAPIResponses().forEach((code, response) -> {
            Content content = response.getContent();
            if (content != null && content.getMediaTypes() != null && !content.getMediaTypes().isEmpty()) {
                MediaType json = content.getMediaTypes().values().iterator().next();
                response.setContent(OASFactory.createContent().addMediaType("application/json", json));
                if ("200".equals(code) && isTaskReference(json.getSchema(), components)) {
                    code = "202";
                } else if ("200".equals(code) && creates) {
                    code = "201";
                }
            }
            renamed.put(code, response);
        });
        responses.setAPIResponses(renamed);
    }

    /** A body that names the task started: {@link AsyncOperationResponse}, or an object with a {@code task} href. */
    private static boolean isTaskReference(Schema schema, Components components) {
        if (schema == null || schema.getRef() == null || components == null || components.getSchemas() == null) {
            return false;
        }
        Schema target = components.getSchemas().get(schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1));
        return target != null && target.getProperties() != null && target.getProperties().containsKey("task");
    }

    private static void merge(Paths paths, String path, PathItem item) {
        PathItem existing = paths.getPathItem(path);
        if (existing == null) {
            item.setParameters(null);
            paths.addPathItem(path, item);
        } else {
            item.getOperations().forEach(existing::setOperation);
        }
    }

    /** Every path prefix that is followed by a path parameter somewhere: a collection of addressable things. */
    private static Set<String> collectionsOf(Set<String> paths) {
        Set<String> collections = new HashSet<>();
        for (String path : paths) {
            Matcher m = PARAMETER.matcher(path);
            while (m.find()) {
                collections.add(generic(path.substring(0, m.start())));
            }
        }
        return collections;
    }

    /** A path with every parameter written {@code {}}, ending in a slash. */
    static String generic(String path) {
        String g = PARAMETER.matcher(path).replaceAll("{}");
        return g.endsWith("/") ? g : g + "/";
    }

    /** Where an operation sits: its collection's pieces, what kind of call it is, and the href parameter it takes. */
    record Route(boolean pulp, List<String> pieces, Kind kind, String action, String hrefParameter, String servedPath) {

        enum Kind { COLLECTION, DETAIL, ACTION }

        static Route of(String rawPath, Set<String> collections) {
            String path = rawPath.endsWith("/") ? rawPath : rawPath + "/";
            if (!path.startsWith(API)) {
                return foreign(rawPath);
            }
            String relative = path.substring(API.length());
            List<String> segments = List.of(relative.split("/"));
            int last = -1;
            for (int i = 0; i < segments.size(); i++) {
                if (segments.get(i).startsWith("{")) {
                    last = i;
                }
            }
            List<String> literals = segments.stream().filter(s -> !s.startsWith("{") && !s.isEmpty()).toList();
            if (last < 0) {
                return new Route(true, literals, Kind.COLLECTION, null, null, path);
            }
            String owner = String.join("/", segments.subList(0, last)) + "/";
            String href = hrefParameter(owner, segments.get(last));
            List<String> tail = segments.subList(last + 1, segments.size());
            List<String> ownPieces = segments.subList(0, last).stream().filter(s -> !s.startsWith("{")).toList();
            String served = "{" + href + "}" + (tail.isEmpty() ? "" : String.join("/", tail) + "/");
            if (tail.isEmpty()) {
                return new Route(true, ownPieces, Kind.DETAIL, null, href, served);
            }
            if (tail.size() == 1 && collections.contains(API + generic(owner) + "{}/" + tail.get(0) + "/")) {
                List<String> nested = new ArrayList<>(ownPieces);
                nested.add(tail.get(0));
                return new Route(true, nested, Kind.COLLECTION, null, href, served);
            }
            return new Route(true, ownPieces, Kind.ACTION, String.join("_", tail), href, served);
        }

        /** Outside Pulp's API (the registry): the path stays, the id is made from its fixed pieces and the method. */
        private static Route foreign(String path) {
            List<String> literals = List.of(path.split("/")).stream().filter(s -> !s.startsWith("{") && !s.isEmpty())
                    .map(s -> s.replaceFirst("^_", "")).toList();
            return new Route(false, literals, Kind.ACTION, null, null, path);
        }

        private static String hrefParameter(String owner, String parameter) {
            String name = parameter.substring(1, parameter.length() - 1);
            if (name.endsWith("_href")) {
                return name;
            }
            String known = HREF_PARAMETERS.get(generic(owner));
            if (known != null) {
                return known;
            }
            String[] pieces = owner.split("/");
            String piece = pieces[pieces.length - 1].replace('-', '_');
            return (piece.endsWith("s") ? piece.substring(0, piece.length() - 1) : piece) + "_href";
        }

        String operationId(HttpMethod method) {
            String prefix = String.join("_", pieces).replace('-', '_').toLowerCase(Locale.ROOT);
            String verb = method.name().toLowerCase(Locale.ROOT);
            if (!pulp) {
                return prefix + "_" + verb;
            }
            return prefix + "_" + switch (kind) {
                case COLLECTION -> method == HttpMethod.GET ? "list" : method == HttpMethod.POST ? "create" : verb;
                case DETAIL -> switch (method) {
                    case GET -> "read";
                    case PUT -> "update";
                    case PATCH -> "partial_update";
                    case DELETE -> "delete";
                    default -> verb;
                };
                case ACTION -> action.replace('-', '_');
            };
        }
    }
}
