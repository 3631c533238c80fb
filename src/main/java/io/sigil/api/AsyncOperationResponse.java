package io.sigil.api;

import io.sigil.tasks.TaskRef;

/** Pulp's answer to a call that started a task: 202 with exactly one key, the task's href (pulp-glue then polls it). */
public record AsyncOperationResponse(String task) {

    public static AsyncOperationResponse of(TaskRef task) {
        return new AsyncOperationResponse(task.href());
    }
}
