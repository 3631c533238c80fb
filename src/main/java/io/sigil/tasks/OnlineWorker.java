package io.sigil.tasks;

import java.time.Instant;

/** A task worker that heartbeats within the worker timeout, as Pulp's {@code online_workers} lists it. */
public record OnlineWorker(String name, Instant startedAt, Instant lastHeartbeat) {
}
