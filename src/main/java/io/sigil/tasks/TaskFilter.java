package io.sigil.tasks;

import java.util.Set;

/** Which tasks to list: {@code states} null means any state (an empty set matches nothing); {@code name} null means any. */
public record TaskFilter(Set<TaskState> states, String name) {

    public static TaskFilter all() {
        return new TaskFilter(null, null);
    }
}
