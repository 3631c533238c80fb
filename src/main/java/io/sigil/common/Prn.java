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

    private Prn() {
    }

    public static String of(String model, UUID id) {
        return "prn:" + model + ":" + id;
    }

    /** Content units are named by their Pulp type, e.g. {@code container.manifest}; signatures by Pulp's model name. */
    public static String ofContent(String pulpType, UUID id) {
        return of("container.signature".equals(pulpType) ? "container.manifestsignature" : pulpType, id);
    }
}
