package io.sigil.sync;

import io.sigil.storage.BlobStore;
import io.sigil.tasks.TaskContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** One sync's collaborators: the remote, its HTTP clients, the manifest fetcher, threads, report and task. */
final class SyncContext implements AutoCloseable {

    private static final Set<SourceKind> SIGNING = EnumSet.of(SourceKind.EXTENSION, SourceKind.LOOKASIDE, SourceKind.COSIGN);

    private final RemoteSettings remote;
    private final UpstreamHttp http;
    private final RegistryClient client;
    private final ManifestFetcher fetcher;
    private final BlobStore blobs;
    private final Parallel parallel;
    private final TaskContext task;
    private final SyncReport report = new SyncReport();
    private final ListedTags listedTags = new ListedTags();
    private final ManifestSignatures signatures;

    SyncContext(RemoteSettings remote, StoredManifests stored, BlobStore blobs, Parallel parallel, TaskContext task,
                io.sigil.signature.RevokedKeys revokedKeys, OutboundAddresses addresses) {
        this.remote = remote;
        this.http = new UpstreamHttp(remote, addresses);
        this.client = new RegistryClient(http, remote);
        this.fetcher = new ManifestFetcher(client, stored);
        this.blobs = blobs;
        this.parallel = parallel;
        this.task = task;
        this.signatures = new ManifestSignatures(new SignatureChecker(remote, revokedKeys), report);
    }

    /**
     * The sources to ask: those the remote wants that the upstream offers (the extension only when {@code /v2/} says
     * so, the lookaside only with a sigstore URL). Signatures are only looked for when kept or needed for
     * {@code signed_only}; a {@code signed_only} remote with no signing source is refused rather than syncing nothing.
     */
    List<SignatureSource> sources() throws IOException {
        RegistryClient.Ping ping = client.ping();
        if (ping.status() != 200 && ping.status() != 401) {
            throw new UpstreamException(ping.status(), "GET " + remote.url() + "/v2/ answered " + ping.status()
                    + ": not a registry");
        }
        Set<SourceKind> offered = EnumSet.of(SourceKind.COSIGN, SourceKind.REFERRERS);
        if (ping.signatureExtension()) {
            offered.add(SourceKind.EXTENSION);
        }
        if (remote.sigstore() != null) {
            offered.add(SourceKind.LOOKASIDE);
        }
        Set<SourceKind> used = EnumSet.noneOf(SourceKind.class);
        remote.wantedSources().stream().filter(offered::contains).forEach(used::add);
        if (remote.signedOnly() && used.stream().noneMatch(SIGNING::contains)) {
            throw new UpstreamException(0, "remote " + remote.name() + " is signed_only, but the upstream offers none of "
                    + "its signature sources " + names(remote.wantedSources()) + " (it offers " + names(offered)
                    + "; the extension needs X-Registry-Supports-Signatures: 1 from /v2/, the lookaside a sigstore URL)");
        }
        if (!remote.preserveSignatures() && !remote.signedOnly()) {
            used.retainAll(Set.of(SourceKind.REFERRERS));
        }
        report.upstream.put("signature_extension", ping.signatureExtension());
        report.upstream.put("sources", names(used));
        return build(used);
    }

    private List<SignatureSource> build(Set<SourceKind> used) {
        List<SignatureSource> sources = new ArrayList<>();
        for (SourceKind kind : used) {
            sources.add(switch (kind) {
                case EXTENSION -> new ExtensionSource(client, remote);
                case LOOKASIDE -> new LookasideSource(http, remote);
                case COSIGN -> new CosignSource(fetcher, client, blobs, listedTags);
                case REFERRERS -> new ReferrersSource(client, fetcher, remote, listedTags);
            });
        }
        return sources;
    }

    private static List<String> names(Set<SourceKind> kinds) {
        return kinds.stream().map(SourceKind::wireName).sorted().toList();
    }

    Progress progress(String code, String message, long total) {
        return new Progress(task, code, message, total);
    }

    /** Bad signatures are skipped, never fatal: a warning in the progress says so, the result says why. */
    void reportSkippedSignatures() {
        int skipped = report.skippedSignatureCount();
        if (skipped > 0) {
            task.progress("sync.skipped_signatures", "Skipped bad signatures (details in the task result); last: "
                    + report.lastSkippedSignature(), skipped, null);
        }
    }

    /** Closes the sync's upstream connections. */
    @Override
    public void close() {
        http.close();
    }

    RemoteSettings remote() {
        return remote;
    }

    RegistryClient client() {
        return client;
    }

    ListedTags listedTags() {
        return listedTags;
    }

    ManifestFetcher fetcher() {
        return fetcher;
    }

    BlobStore blobs() {
        return blobs;
    }

    Parallel parallel() {
        return parallel;
    }

    SyncReport report() {
        return report;
    }

    ManifestSignatures signatures() {
        return signatures;
    }
}
