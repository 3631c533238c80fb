package io.sigil.tasks;

import java.util.Locale;
import java.util.Optional;

/** The life of a task. {@code canceling} is a running task asked to stop; the last three are final. */
public enum TaskState {
    WAITING, RUNNING, CANCELING, COMPLETED, FAILED, CANCELED;

    /** The name stored in the database and shown in the API, e.g. {@code "waiting"}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELED;
    }

    public static Optional<TaskState> parse(String value) {
        for (TaskState state : values()) {
            if (state.value().equals(value)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
