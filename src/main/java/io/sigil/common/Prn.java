package io.sigil.common;

import java.util.UUID;

/**
 * Pulp Resource Names: {@code prn:<app_label>.<model>:<pk>}, e.g. {@code prn:container.containerrepository:<uuid>}.
 * Unlike an href they do not change with the API root, so clients (pulp-glue) may store and resolve them.
 */
public final class Prn {

    public static final String REPOSITORY = "container.containerrepository";
    public static final String REPOSITORY_VERSION = "core.repositoryversion";
    public static final String REMOTE = "container.containerremote";
    public static final String DISTRIBUTION = "container.containerdistribution";
    public static final String TASK = "core.task";
    public static final String TASK_GROUP = "core.taskgroup";
    public static final String WORKER = "core.worker";

    /** Collections whose hrefs end in {@code <uuid>/}, and the model their PRN names (longest paths first). */
    private static final java.util.List<java.util.Map.Entry<String, String>> COLLECTIONS = java.util.List.of(
            java.util.Map.entry("repositories/container/container/", REPOSITORY),
            java.util.Map.entry("remotes/container/container/", REMOTE),
            java.util.Map.entry("distributions/container/container/", DISTRIBUTION),
            java.util.Map.entry("content/container/blobs/", "container.blob"),
            java.util.Map.entry("content/container/manifests/", "container.manifest"),
            java.util.Map.entry("content/container/tags/", "container.tag"),
            java.util.Map.entry("content/container/signatures/", "container.manifestsignature"),
            java.util.Map.entry("pulp_container/namespaces/", "container.containernamespace"),
            java.util.Map.entry("signing-services/", "container.manifestsigningservice"),
            java.util.Map.entry("trusted-keys/", "sigil.trustedkey"),
            java.util.Map.entry("revoked-keys/", "sigil.revokedkey"),
            java.util.Map.entry("tasks/", TASK),
            java.util.Map.entry("task-groups/", TASK_GROUP),
            java.util.Map.entry("workers/", WORKER),
            java.util.Map.entry("users/", "core.user"),
            java.util.Map.entry("groups/", "core.group"),
            java.util.Map.entry("roles/", "core.role"));
    private static final java.util.regex.Pattern HREF = java.util.regex.Pattern.compile(
            "/pulp/api/v3/((?:[a-z_-]+/)+?)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/"
                    + "(?:(exports|imports)/([0-9a-f-]{36})/)?");

    private Prn() {
    }

    /**
     * The PRN of the entity an href names, when the href ends in the entity's own id: a collection above, or an
     * exporter's or importer's export or import. Empty for anything else (a repository version's href carries its
     * number, not its id).
     */
    public static java.util.Optional<String> fromHref(String href) {
        java.util.regex.Matcher m = href == null ? null : HREF.matcher(href);
        if (m == null || !m.matches()) {
            return java.util.Optional.empty();
        }
        if (m.group(3) != null) {
            String model = m.group(3).equals("exports") ? "core.pulpexport" : "core.pulpimport";
            return java.util.Optional.of(of(model, java.util.UUID.fromString(m.group(4))));
        }
        String collection = m.group(1);
        if (collection.equals("exporters/core/pulp/") || collection.equals("importers/core/pulp/")) {
            String model = collection.startsWith("exporters") ? "core.pulpexporter" : "core.pulpimporter";
            return java.util.Optional.of(of(model, java.util.UUID.fromString(m.group(2))));
        }
        return COLLECTIONS.stream().filter(c -> c.getKey().equals(collection)).findFirst()
                .map(c -> of(c.getValue(), java.util.UUID.fromString(m.group(2))));
    }

    public static String of(String model, UUID id) {
        return "prn:" + model + ":" + id;
    }

    /** Content units are named by their Pulp type, e.g. {@code container.manifest}; signatures by Pulp's model name. */
    public static String ofContent(String pulpType, UUID id) {
        return of("container.signature".equals(pulpType) ? "container.manifestsignature" : pulpType, id);
    }
}
