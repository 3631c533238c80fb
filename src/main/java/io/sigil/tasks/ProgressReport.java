package io.sigil.tasks;

/** One line of a task's progress, keyed by {@code code}; {@code state} follows the task (running, then final). */
public record ProgressReport(String message, String code, String state, long done, Long total) {
}
