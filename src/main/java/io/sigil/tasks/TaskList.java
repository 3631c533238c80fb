package io.sigil.tasks;

import java.util.List;

/** One page of tasks, newest first, and how many match the filter in all. */
public record TaskList(long count, List<TaskView> tasks) {
}
