package io.sigil.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.repository.Hrefs;
import io.sigil.repository.RepositoryVersion;
import io.sigil.storage.BlobStore;
import io.sigil.tasks.TaskContext;
import io.sigil.tasks.TaskHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The sync task: plan against the upstream (network, blobs into storage), then write one version in one
 * transaction. A failure anywhere leaves no version; stored blobs and units stay as orphans for clean-up.
 */
@ApplicationScoped
class SyncTaskHandler implements TaskHandler {

    @Inject
    io.sigil.signature.RevokedKeys revokedKeys;
    @Inject
    RemoteService remotes;
    @Inject
    StoredManifests stored;
    @Inject
    BlobStore blobs;
    @Inject
    SyncWriter writer;
    @Inject
    ObjectMapper mapper;
    @Inject
    io.sigil.metrics.SigilMetrics metrics;
    @Inject
    OutboundAddresses addresses;

    @Override
    public String name() {
        return SyncTasks.SYNC;
    }

    @Override
    public Object run(TaskContext context) throws Exception {
        var p = mapper.treeToValue(context.parameters(), SyncTasks.SyncParameters.class);
        RemoteSettings remote = remotes.settings(p.remote());
        try (Parallel parallel = new Parallel(remote.downloadConcurrency(), context);
             SyncContext sync = new SyncContext(remote, stored, blobs, parallel, context, revokedKeys, addresses)) {
            try {
                return sync(p, context, sync, parallel);
            } finally {
                sync.report().recordTo(metrics, sync.fetcher()); // what was downloaded counts even when the sync fails
            }
        }
    }

    private Object sync(SyncTasks.SyncParameters p, TaskContext context, SyncContext sync, Parallel parallel) throws Exception {
        SyncPlan plan = new SyncPlanner(sync).plan();
        context.checkCanceled();
        long writing = System.nanoTime();
        Optional<RepositoryVersion> version = writer.write(p.repository(), p.mirror(), plan, context);
        parallel.timings.put("sync.write", (System.nanoTime() - writing) / 1_000_000);
        String href = version.map(v -> Hrefs.version(p.repository(), v.number)).orElse(null);
        return sync.report().result(href == null ? "unchanged" : href, plan, sync.fetcher(), parallel.timings);
    }
}
