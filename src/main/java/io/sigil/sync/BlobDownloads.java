package io.sigil.sync;

import io.sigil.storage.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streams the blobs storage does not hold yet, in parallel, each verified against its digest while it streams. A blob
 * already stored is refreshed instead: its file may belong to an orphan, and its new write time keeps clean-up off it
 * until this sync's version names it.
 */
final class BlobDownloads {

    private final SyncContext sync;

    BlobDownloads(SyncContext sync) {
        this.sync = sync;
    }

    void download(Map<Digest, Long> blobs) throws IOException {
        List<Digest> missing = new ArrayList<>();
        for (Digest digest : blobs.keySet()) {
            if (!sync.blobs().refresh(digest)) {
                missing.add(digest);
            }
        }
        sync.report().blobsPresent.set(blobs.size() - missing.size());
        sync.parallel().each(missing, digest -> {
            long size = blobs.get(digest);
            sync.client().blob(digest, size, sync.blobs());
            sync.report().blobsDownloaded.incrementAndGet();
            sync.report().bytesDownloaded.addAndGet(size);
        }, sync.progress("sync.blobs", "Downloading blobs", missing.size()));
    }
}
