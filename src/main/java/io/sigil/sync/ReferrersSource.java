package io.sigil.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.content.CosignTags;
import io.sigil.content.MediaTypes;
import io.sigil.storage.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OCI 1.1 referrers (signature-formats.md §5): the referrers API, or, once it answered 404 (upstream without the
 * API), the {@code sha256-<hex>} fallback tag index. Referring artifacts of the remote's referrer types are brought
 * as untagged manifests; a fallback index is kept under its tag when everything it lists was brought.
 */
final class ReferrersSource implements SignatureSource {

    private static final int MAX_INDEX_BYTES = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient client;
    private final ManifestFetcher fetcher;
    private final RemoteSettings remote;
    private final ListedTags listed;
    private volatile boolean apiMissing;

    ReferrersSource(RegistryClient client, ManifestFetcher fetcher, RemoteSettings remote, ListedTags listed) {
        this.client = client;
        this.fetcher = fetcher;
        this.remote = remote;
        this.listed = listed;
    }

    @Override
    public SourceKind kind() {
        return SourceKind.REFERRERS;
    }

    @Override
    public Findings find(Digest subject) throws IOException {
        Findings findings = new Findings();
        Optional<List<Referrer>> listed = apiMissing ? Optional.empty() : fromApi(subject, findings);
        if (listed.isPresent()) {
            bring(subject, listed.get(), findings);
            return findings;
        }
        if (apiMissing) {
            fromFallbackTag(subject, findings);
        }
        return findings;
    }

    record Referrer(Digest digest, String artifactType) {
    }

    /** The API's list, or empty when the upstream has no referrers API (404) or answered something unusable. */
    private Optional<List<Referrer>> fromApi(Digest subject, Findings findings) throws IOException {
        String path = "/v2/" + remote.upstreamName() + "/referrers/" + subject;
        UpstreamHttp.Answer answer = client.get(path, MediaTypes.OCI_INDEX);
        if (answer.status() == 404) {
            answer.discard();
            apiMissing = true;
            return Optional.empty();
        }
        if (answer.status() != 200) {
            answer.discard();
            findings.problems.add("referrers " + path + " answered " + answer.status());
            return Optional.empty();
        }
        JsonNode index = JSON.readTree(answer.read(MAX_INDEX_BYTES, "referrers of " + subject));
        List<Referrer> referrers = new ArrayList<>();
        for (JsonNode entry : index.path("manifests")) {
            if (Digest.isValid(entry.path("digest").asText())) {
                referrers.add(new Referrer(Digest.parse(entry.get("digest").asText()), entry.path("artifactType").asText(null)));
            }
        }
        return Optional.of(referrers);
    }

    private void fromFallbackTag(Digest subject, Findings findings) throws IOException {
        String tag = CosignTags.referrersFallbackTag(subject);
        if (!listed.mayExist(tag)) {
            return;
        }
        Optional<UpstreamManifest> index;
        try {
            index = fetcher.byTag(tag);
        } catch (SkippedException e) {
            findings.problems.add("referrers tag " + tag + ": " + e.getMessage());
            return;
        }
        if (index.isEmpty() || !index.get().parsed().isIndex()) {
            return;
        }
        List<Referrer> listed = index.get().parsed().manifests().stream()
                .map(d -> new Referrer(d.digest(), d.artifactType())).toList();
        if (bring(subject, listed, findings) == listed.size()) {
            findings.attachments.add(new Findings.Attachment(SourceKind.REFERRERS, index.get(), tag));
        }
    }

    /** Brings the wanted referrers that really refer to {@code subject}; returns how many were brought. */
    private int bring(Digest subject, List<Referrer> referrers, Findings findings) throws IOException {
        int brought = 0;
        for (Referrer referrer : referrers) {
            if (!remote.wantsReferrer(referrer.artifactType())) {
                continue;
            }
            try {
                UpstreamManifest artifact = fetcher.byDigest(referrer.digest());
                if (artifact.parsed().subject() == null || !artifact.parsed().subject().digest().equals(subject)) {
                    findings.problems.add("referrer " + referrer.digest() + " is listed for " + subject + " but does not refer to it");
                    continue;
                }
                findings.attachments.add(new Findings.Attachment(SourceKind.REFERRERS, artifact, null));
                brought++;
            } catch (SkippedException e) {
                findings.problems.add("referrer " + referrer.digest() + ": " + e.getMessage());
            }
        }
        return brought;
    }
}
