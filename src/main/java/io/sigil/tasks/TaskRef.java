package io.sigil.tasks;

import java.util.UUID;

/** A dispatched task; {@link #href()} is what a 202 response returns. */
public record TaskRef(UUID id) {
    public String href() {
        return "/pulp/api/v3/tasks/" + id + "/";
    }
}
