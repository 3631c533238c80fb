package io.sigil.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A snapshot of one task as stored. {@code error} is {@code {"description", "traceback"}} when it failed. */
public record TaskView(
        UUID id,
        String name,
        TaskState state,
        JsonNode parameters,
        List<String> exclusiveResources,
        List<String> sharedResources,
        String createdBy,
        String worker,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        JsonNode error,
        List<ProgressReport> progressReports,
        List<String> createdResources,
        JsonNode result) {

    public String href() {
        return new TaskRef(id).href();
    }
}
