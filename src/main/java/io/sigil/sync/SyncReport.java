package io.sigil.sync;

import io.sigil.signature.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** What a sync did and why, gathered from all its threads; becomes the task's result. */
final class SyncReport {

    final Map<String, Object> upstream = new LinkedHashMap<>();
    final AtomicLong tagsListed = new AtomicLong();
    final AtomicLong blobsDownloaded = new AtomicLong();
    final AtomicLong blobsPresent = new AtomicLong();
    final AtomicLong bytesDownloaded = new AtomicLong();
    private final List<Map<String, String>> skippedTags = new ArrayList<>();
    private final List<Map<String, String>> skippedManifests = new ArrayList<>();
    private final List<Map<String, String>> skippedSignatures = new ArrayList<>();
    private final List<Map<String, String>> problems = new ArrayList<>();
    private final List<Map<String, Object>> verdicts = new ArrayList<>();

    synchronized void skipTag(String tag, String reason) {
        skippedTags.add(Map.of("tag", tag, "reason", reason));
    }

    synchronized void skipManifest(String digest, String reason) {
        skippedManifests.add(Map.of("digest", digest, "reason", reason));
    }

    synchronized void problem(String manifest, String problem) {
        problems.add(Map.of("manifest", manifest, "problem", problem));
    }

    synchronized void signature(SignatureChecker.Checked checked) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("manifest", checked.manifest().toString());
        entry.put("source", checked.found().source().wireName());
        entry.put("type", checked.found().type());
        entry.put("kept", checked.kept());
        Verdict verdict = checked.verdict();
        entry.put("verdict", verdict == null ? "bad" : verdict.state().name().toLowerCase(java.util.Locale.ROOT));
        entry.put("key", verdict == null ? null : verdict.keyIdentity());
        entry.put("reason", checked.kept() ? verdict.reason() : checked.problem());
        verdicts.add(entry);
        if (!checked.kept()) {
            skippedSignatures.add(Map.of("manifest", checked.manifest().toString(), "source",
                    checked.found().source().wireName(), "reason", checked.problem()));
        }
    }

    /** Adds this sync's downloads and skipped signatures to the installation's meters. */
    synchronized void recordTo(io.sigil.metrics.SigilMetrics metrics, ManifestFetcher fetcher) {
        metrics.syncFetched("manifest", fetcher.fetched.get());
        metrics.syncFetched("blob", blobsDownloaded.get());
        metrics.syncBytesFetched(bytesDownloaded.get());
        metrics.syncFetched("signature", verdicts.size());
        for (Map<String, Object> v : verdicts) {
            if (!Boolean.TRUE.equals(v.get("kept"))) {
                // "bad": refused before any verdict (malformed, for another manifest, revoked key); else the verdict
                metrics.syncSignatureSkipped((String) v.get("source"), "bad".equals(v.get("verdict")) ? "rejected" : (String) v.get("verdict"));
            }
        }
    }

    synchronized int skippedSignatureCount() {
        return skippedSignatures.size();
    }

    synchronized String lastSkippedSignature() {
        return skippedSignatures.isEmpty() ? null : skippedSignatures.get(skippedSignatures.size() - 1).get("reason");
    }

    synchronized Map<String, Object> result(String version, SyncPlan plan, ManifestFetcher fetcher, Map<String, Long> timings) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("version", version);
        result.put("upstream", upstream);
        result.put("tags", Map.of("listed", tagsListed.get(), "synced", plan.tags.size(), "skipped", skippedTags));
        result.put("manifests", Map.of("synced", plan.manifests.size(), "downloaded", fetcher.fetched.get(),
                "already_stored", fetcher.reused.get(), "skipped", skippedManifests));
        result.put("blobs", Map.of("downloaded", blobsDownloaded.get(), "already_stored", blobsPresent.get(),
                "bytes_downloaded", bytesDownloaded.get()));
        Map<String, Long> byVerdict = new TreeMap<>();
        verdicts.forEach(v -> byVerdict.merge((String) v.get("verdict"), 1L, Long::sum));
        result.put("signatures", Map.of("synced", plan.signatures.size(), "by_verdict", byVerdict,
                "skipped", skippedSignatures, "verdicts", verdicts));
        result.put("problems", problems);
        result.put("timings_ms", new TreeMap<>(timings));
        return result;
    }
}
