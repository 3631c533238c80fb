package io.sigil.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/** How a task ended on one worker, as it is to be recorded. */
record TaskEnd(UUID id, String worker, TaskState state, JsonNode result, JsonNode error, List<ProgressReport> reports) {
}
