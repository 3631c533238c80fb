package io.sigil.api;

import java.util.List;

/**
 * The Pulp components whose REST contract Sigil follows, as the OpenAPI document ({@code info.x-pulp-app-versions})
 * and {@code /status/} report them. pulp-cli 0.41 needs core >= 3.49 and container >= 2.19 and gates features on
 * these numbers, so they stay at the lowest versions it accepts: core below 3.85 (no mutualTLS scheme needed) and
 * below 3.86 (tasks' {@code result} would replace the task in glue's answers).
 */
public final class PulpVersions {

    public record Component(String component, String version, String packageName, String module) {
    }

    public static final List<Component> COMPONENTS = List.of(
            new Component("core", "3.49.0", "pulpcore", "pulpcore.app"),
            new Component("container", "2.19.0", "pulp-container", "pulp_container.app"),
            new Component("sigil", "0.1.0", "sigil", "io.sigil"));

    private PulpVersions() {
    }
}
