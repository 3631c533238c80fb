package io.sigil.registry;

import io.sigil.content.ManifestParser;
import io.sigil.content.MediaTypes;
import io.sigil.content.ParsedManifest;
import io.sigil.repository.VersionReader;
import io.sigil.repository.VersionReader.ManifestRef;
import io.sigil.signature.Verdict;
import io.sigil.signing.SignaturePolicy;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads of the registry: manifests, blobs, tags and referrers, each only from what the distribution serves (its
 * version, or for a pushable repository also its pending blobs). Manifests go out as stored, byte for byte.
 */
@ApplicationScoped
public class RegistryPull {

    /** The distribution spec's tag grammar. */
    static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    @Inject
    VersionReader reader;
    @Inject
    PendingBlobs pending;
    @Inject
    ManifestCache cache;
    @Inject
    BlobStore blobs;
    @Inject
    ServedContentCache served;

    /** A manifest as stored; {@code data} is null for a HEAD. */
    public record ManifestContent(String digest, String mediaType, int size, byte[] data) {
    }

    /** A blob the distribution serves. */
    public record BlobContent(Digest digest, long size) {
    }

    /** @param host the host[:port] the client pulls from: a policy's default identity is {@code host/basePath} */
    public ManifestContent manifest(ServedRepository served, String reference, boolean withData, String host) {
        ManifestRef ref = find(served, reference).orElseThrow(() -> RegistryError.MANIFEST_UNKNOWN.with(
                "manifest " + reference + " is not in " + served.basePath(), Map.of("reference", reference)));
        // Judged on every pull, before any cache hands out bytes: the caches know content, never whether this pull may
        // have it, and verdicts change (keys trusted, revoked) without a new version.
        requireSignatures(served, reference, ref, host);
        byte[] data = withData ? cache.get(ref.digest(), () -> reader.manifestData(ref.id())) : null;
        return new ManifestContent(ref.digest(), ref.mediaType(), ref.size(), data);
    }

    /**
     * Under a signature policy, a manifest without a valid signature by one of its keys is refused with 403 DENIED
     * saying why. Attachments (manifests with an OCI subject, cosign .sig manifests carrying signatures) are exempt:
     * they are what clients verify with, not images they run. One query, only when a policy is on.
     */
    private void requireSignatures(ServedRepository served, String reference, ManifestRef ref, String host) {
        SignaturePolicy policy = served.policy();
        if (policy == null) {
            return;
        }
        VersionReader.PolicyFacts facts = reader.policyFacts(served.repositoryId(), served.pinnedVersion(), ref.id());
        if (facts.attachment()) {
            return;
        }
        List<SignaturePolicy.Candidate> candidates = facts.signatures().stream().map(s -> new SignaturePolicy.Candidate(
                s.dockerReference(), s.state() == null ? null : Verdict.State.valueOf(s.state()), s.keyIdentity(),
                s.reason() == null ? "never verified" : s.reason(), s.revoked())).toList();
        SignaturePolicy.Decision decision = policy.judge(ref.digest(), policy.repositoryFor(host, served.basePath()),
                isDigest(reference) ? null : reference, candidates);
        if (!decision.allowed()) {
            throw RegistryError.DENIED.with(decision.message(), Map.of("reason",
                    decision.reason().name().toLowerCase(Locale.ROOT), "digest", ref.digest()));
        }
    }

    /**
     * The manifest a tag or digest reference names in the served version. A reference that is neither a valid tag nor a
     * valid digest names nothing the repository could hold: not found, as the spec wants for a missing manifest.
     */
    Optional<ManifestRef> find(ServedRepository repository, String reference) {
        if (!isValidReference(reference)) {
            return Optional.empty();
        }
        if (isDigest(reference)) {
            String digest = Digest.parse(reference).toString();
            return served.lookup(repository, "manifest", digest,
                    () -> reader.manifestByDigest(repository.repositoryId(), repository.pinnedVersion(), digest));
        }
        return served.lookup(repository, "tag", reference,
                () -> reader.manifestByTag(repository.repositoryId(), repository.pinnedVersion(), reference));
    }

    /**
     * Blobs are not judged by a signature policy: a client reaches them only through a manifest's digests, which the
     * policy refused it, and layers are shared between signed and unsigned images anyway.
     */
    public BlobContent blob(ServedRepository repository, String digestText) {
        Digest digest = Digest.parse(digestText);
        Optional<Long> size = served.lookup(repository, "blob", digest.toString(),
                () -> reader.blobSize(repository.repositoryId(), repository.pinnedVersion(), digest.toString()));
        if (size.isEmpty() && repository.acceptsPushes()) {
            size = pending.size(repository.pushTarget(), digest.toString());
        }
        return new BlobContent(digest, size.orElseThrow(() -> unknownBlob(repository.basePath(), digest)));
    }

    /** A blob pushed to a base path that no manifest has created a repository at yet. */
    public BlobContent pendingBlob(PushTarget target, String digestText) {
        Digest digest = Digest.parse(digestText);
        return new BlobContent(digest, pending.size(target, digest.toString())
                .orElseThrow(() -> unknownBlob(target.basePath(), digest)));
    }

    private static RegistryException unknownBlob(String basePath, Digest digest) {
        return RegistryError.BLOB_UNKNOWN.with("blob " + digest + " is not in " + basePath, Map.of("digest", digest.toString()));
    }

    /** Tag names after {@code last}, at most {@code limit} (all when null). */
    public List<String> tags(ServedRepository served, String last, Integer limit) {
        return reader.tagNames(served.repositoryId(), served.pinnedVersion(), last, limit == null ? Integer.MAX_VALUE : limit);
    }

    /** The referrers index of {@code subject}, filtered by artifact type when one is given. */
    public Map<String, Object> referrers(ServedRepository served, String subject, String artifactType) {
        Digest digest = Digest.parse(subject);
        List<Map<String, Object>> descriptors = new ArrayList<>();
        for (VersionReader.Referrer referrer : reader.referrers(served.repositoryId(), served.pinnedVersion(), digest.toString())) {
            ParsedManifest parsed = ManifestParser.parse(referrer.data(), referrer.mediaType());
            var d = parsed.referrerDescriptor();
            if (artifactType != null && !artifactType.equals(d.artifactType())) {
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("mediaType", d.mediaType());
            entry.put("digest", d.digest().toString());
            entry.put("size", d.size());
            if (d.artifactType() != null) {
                entry.put("artifactType", d.artifactType());
            }
            if (!d.annotations().isEmpty()) {
                entry.put("annotations", d.annotations());
            }
            descriptors.add(entry);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", descriptors);
        return index;
    }

    static boolean isDigest(String reference) {
        return reference.indexOf(':') > 0;
    }

    /** A tag by the spec's grammar or a digest this registry can compute. */
    static boolean isValidReference(String reference) {
        return isDigest(reference) ? Digest.isValid(reference) : TAG.matcher(reference).matches();
    }

    static void requireTag(String reference) {
        if (!TAG.matcher(reference).matches()) {
            throw RegistryError.TAG_INVALID.with("invalid tag '" + reference + "'", Map.of("tag", reference));
        }
    }
}
