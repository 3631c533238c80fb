package io.sigil.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.common.Prn;
import io.sigil.tasks.ProgressReport;
import io.sigil.tasks.TaskView;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/** A task as Pulp shows it. {@code reserved_resources_record} lists exclusive names, then {@code shared:}-prefixed ones. */
public record TaskResponse(
        @JsonProperty("pulp_href") String pulpHref,
        String prn,
        @JsonProperty("pulp_created") Instant pulpCreated,
        String name,
        String state,
        @JsonProperty("started_at") Instant startedAt,
        @JsonProperty("finished_at") Instant finishedAt,
        JsonNode error,
        String worker,
        @JsonProperty("progress_reports") List<ProgressReport> progressReports,
        @JsonProperty("created_resources") List<String> createdResources,
        @JsonProperty("reserved_resources_record") List<String> reservedResourcesRecord,
        JsonNode result) {

    /** @param withTraceback whether {@code error} keeps its {@code traceback} (admins only) or just its description */
    public static TaskResponse of(TaskView task, boolean withTraceback) {
        List<String> reserved = Stream.concat(task.exclusiveResources().stream(),
                task.sharedResources().stream().map(name -> "shared:" + name)).toList();
        return new TaskResponse(task.href(), Prn.of(Prn.TASK, task.id()), task.createdAt(), task.name(), task.state().value(), task.startedAt(),
                task.finishedAt(), withTraceback ? task.error() : withoutTraceback(task.error()), task.worker(), task.progressReports(), task.createdResources(),
                reserved, task.result());
    }

    private static JsonNode withoutTraceback(JsonNode error) {
        if (error == null || !error.isObject() || !error.has("traceback")) {
            return error;
        }
        ObjectNode copy = ((ObjectNode) error).deepCopy();
        copy.remove("traceback");
        return copy;
    }
}
