package io.sigil.tasks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "sigil.tasks")
interface TasksConfig {

    /** Worker threads in this process; 0 makes a pure API node that only dispatches (and still reaps). */
    @WithDefault("2")
    int workers();

    /** How often this process refreshes its worker row and looks for dead workers. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /** A worker whose heartbeat is older than this is dead: its tasks fail and its row is deleted. */
    @WithDefault("30s")
    Duration workerTimeout();

    /** How long an idle worker sleeps before looking again when nothing woke it. */
    @WithDefault("250ms")
    Duration pollInterval();
}
