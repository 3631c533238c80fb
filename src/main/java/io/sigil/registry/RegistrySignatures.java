package io.sigil.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.content.Signature;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionReader;
import io.sigil.signature.InvalidSignatureException;
import io.sigil.signature.SignatureIngest;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The X-Registry-Supports-Signatures extension ({@code /extensions/v2/<name>/signatures/<digest>}): atomic signatures
 * of a manifest in the served version, read and written as containers/image does. Clients advised by the ping header
 * use only this API for atomic signatures, on pull as well as push, so a known manifest always answers 200.
 */
@ApplicationScoped
public class RegistrySignatures {

    /** pulp_container reads at most 4,000,000 bytes of a signature PUT. */
    /** containers/image refuses signatures over 4 MiB; the body carries them in base64, inside a little JSON. */
    private static final int MAX_SIGNATURE = SignatureIngest.MAX_SIGNATURE_BYTES;
    private static final int MAX_BODY = MAX_SIGNATURE / 3 * 4 + 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    VersionReader reader;
    @Inject
    RepositoryWrites writer;
    @Inject
    SignatureIngest ingest;

    public Map<String, Object> list(ServedRepository served, String digest) {
        String manifest = requireManifest(served, digest, served.pinnedVersion());
        List<Map<String, Object>> signatures = reader.signatures(served.repositoryId(), served.pinnedVersion(), manifest,
                SignatureIngest.ATOMIC).stream().map(s -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("schemaVersion", 2);
                    entry.put("name", s.name());
                    entry.put("type", s.type());
                    entry.put("content", Base64.getEncoder().encodeToString(s.data()));
                    return entry;
                }).toList();
        return Map.of("signatures", signatures);
    }

    /** The raw OpenPGP blobs of a served manifest's atomic signatures, oldest first (the lookaside's order). */
    public List<byte[]> atomicBlobs(ServedRepository served, String digest) {
        String manifest = requireManifest(served, digest, served.pinnedVersion());
        return reader.signatures(served.repositoryId(), served.pinnedVersion(), manifest, SignatureIngest.ATOMIC).stream()
                .map(VersionReader.SignatureData::data).toList();
    }

    /** Stores one atomic signature of a manifest in the repository's latest version, in a new version. */
    public void put(ServedRepository served, String digest, InputStream body) {
        String manifest = requireManifest(served, digest, null);
        byte[] blob = signatureBytes(body);
        ShortTransactions.run(() -> {
            Signature signature;
            try {
                signature = ingest.atomic(manifest, blob);
            } catch (InvalidSignatureException e) {
                throw RegistryError.SIGNATURE_INVALID.with(e.getMessage(), Map.of("manifest_digest", manifest));
            }
            var version = writer.write(served.repositoryId(), VersionChange.adding(Set.of(signature.id)));
            if (version.isEmpty()) {
                throw RegistryError.SIGNATURE_EXISTS.with("this signature of " + manifest + " is already stored",
                        Map.of("name", signature.name));
            }
            return version;
        });
    }

    private String requireManifest(ServedRepository served, String digest, Integer version) {
        String manifest = Digest.parse(digest).toString();
        if (reader.manifestByDigest(served.repositoryId(), version, manifest).isEmpty()) {
            throw RegistryError.MANIFEST_UNKNOWN.with("manifest " + manifest + " is not in " + served.basePath(),
                    Map.of("reference", manifest));
        }
        return manifest;
    }

    private static byte[] signatureBytes(InputStream body) {
        JsonNode json;
        try {
            byte[] bytes = body.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw RegistryError.SIGNATURE_TOO_LARGE.with("signature body is larger than " + MAX_BODY + " bytes");
            }
            json = JSON.readTree(bytes);
        } catch (IOException e) {
            throw RegistryError.SIGNATURE_INVALID.with("signature body is not valid JSON");
        }
        if (json == null || json.path("schemaVersion").asInt() != 2 || !json.path("content").isTextual()
                || !"atomic".equals(json.path("type").asText("atomic"))) {
            throw RegistryError.SIGNATURE_INVALID.with("expected {\"schemaVersion\":2,\"type\":\"atomic\",\"content\":<base64>}");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(json.get("content").asText());
        } catch (IllegalArgumentException e) {
            throw RegistryError.SIGNATURE_INVALID.with("content is not valid base64");
        }
        if (signature.length > MAX_SIGNATURE) {
            throw RegistryError.SIGNATURE_TOO_LARGE.with("signature is larger than 4 MiB");
        }
        return signature;
    }
}
