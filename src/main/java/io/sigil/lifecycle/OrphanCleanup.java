package io.sigil.lifecycle;

import io.sigil.common.ApiException;
import io.sigil.tasks.TaskDispatcher;
import io.sigil.tasks.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Dispatches orphan clean-up: content that no repository version holds and nobody has used for the protection time
 * is deleted, then the blob files nothing names any more; registry upload sessions, upload bytes no session names and
 * pending blob links older than {@code sigil.registry.upload-expiry} go too. One clean-up runs at a time (exclusive
 * resource {@value #LOCK}); pushes, syncs and pulls carry on meanwhile.
 */
@ApplicationScoped
public class OrphanCleanup {

    public static final String TASK = "orphans.cleanup";
    public static final String LOCK = "orphans";
    /** Pulp's bound: minutes as an unsigned 32-bit number. */
    static final long MAX_PROTECTION_MINUTES = 4_294_967_295L;

    @Inject
    TaskDispatcher dispatcher;

    @ConfigProperty(name = "sigil.orphan-protection-time", defaultValue = "60")
    long defaultProtectionMinutes;

    /** @param protectionMinutes how long an unused unit is spared; the configured default when null */
    public TaskRef dispatch(Long protectionMinutes, String user) {
        long minutes = protectionMinutes == null ? defaultProtectionMinutes : protectionMinutes;
        if (minutes < 0 || minutes > MAX_PROTECTION_MINUTES) {
            throw ApiException.field("orphan_protection_time", "must be between 0 and " + MAX_PROTECTION_MINUTES + " minutes");
        }
        return dispatcher.dispatch(TASK, Map.of("orphan_protection_time", minutes), List.of(LOCK), List.of(), user);
    }
}
