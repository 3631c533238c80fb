package io.sigil.storage;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The blob store's health as {@code /status/} shows it: sizes for a filesystem (Pulp's {@code total/used/free}), or
 * only whether the store answers (S3 has no capacity). {@code problem} says in words why it does not answer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageStatus(String backend, boolean reachable, Long total, Long used, Long free, String problem) {

    static StorageStatus sized(String backend, long total, long free) {
        return new StorageStatus(backend, true, total, total - free, free, null);
    }

    static StorageStatus answering(String backend) {
        return new StorageStatus(backend, true, null, null, null, null);
    }

    static StorageStatus unreachable(String backend, String problem) {
        return new StorageStatus(backend, false, null, null, null, problem);
    }
}
