package io.sigil.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.content.CosignTags;
import io.sigil.content.Descriptor;
import io.sigil.content.NewSignature;
import io.sigil.content.ParsedManifest;
import io.sigil.signing.CosignSignatures;
import io.sigil.signing.SignatureFormatException;
import io.sigil.signing.UntrustedCosignPayload;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Reads the simple-signing layers of a manifest pushed under a cosign {@code sha256-<hex>.sig} tag into signature
 * units of the subject, in containers/image's storage form ({@code 0x00 "sigstore-json\n"} + JSON), so cosign
 * signatures are first-class like atomic ones. A layer that is not a parseable signature of that subject is skipped:
 * it stays in the manifest, and the push never fails for it.
 */
@ApplicationScoped
public class CosignSignatureLayers {

    public static final String TYPE = "cosign";
    private static final Logger LOG = Logger.getLogger(CosignSignatureLayers.class);
    /** containers/image reads at most 4 MiB of a signature layer. */
    private static final int MAX_LAYER = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    BlobStore blobs;

    /** The signatures the layers of {@code manifest}, pushed as tag {@code tag}, carry; empty for any other tag. */
    public List<NewSignature> signatures(String tag, ParsedManifest manifest) {
        Optional<CosignTags.TagTarget> target = CosignTags.subjectOf(tag)
                .filter(t -> t.kind() == CosignTags.TagKind.SIGNATURE);
        if (target.isEmpty()) {
            return List.of();
        }
        String subject = target.get().subject().toString();
        List<NewSignature> signatures = new ArrayList<>();
        for (Descriptor layer : manifest.layers()) {
            if (CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE.equals(layer.mediaType())) {
                read(layer, subject, manifest.digest()).ifPresent(signatures::add);
            }
        }
        return signatures;
    }

    private Optional<NewSignature> read(Descriptor layer, String subject, Digest carrier) {
        try {
            if (layer.size() > MAX_LAYER) {
                return skip(layer, "larger than 4 MiB");
            }
            byte[] payload = readBlob(layer.digest());
            UntrustedCosignPayload claims = CosignSignatures.parsePayload(payload);
            if (!subject.equals(claims.manifestDigest())) {
                return skip(layer, "it signs " + claims.manifestDigest() + ", not " + subject);
            }
            return Optional.of(new NewSignature(subject, TYPE, null, storageForm(layer, payload), null, null,
                    claims.creator(), claims.timestamp(), claims.dockerReference(), layer.digest().toString(),
                    carrier.toString()));
        } catch (SignatureFormatException | IOException e) {
            return skip(layer, e.getMessage());
        }
    }

    private byte[] readBlob(Digest digest) throws IOException {
        try (InputStream in = blobs.open(digest, 0)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** What containers/image writes for a sigstore signature: Go marshals the annotations map with sorted keys. */
    static byte[] storageForm(Descriptor layer, byte[] payload) throws JsonProcessingException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mimeType", layer.mediaType());
        json.put("payload", Base64.getEncoder().encodeToString(payload));
        json.put("annotations", new TreeMap<>(layer.annotations()));
        byte[] body = JSON.writeValueAsBytes(json);
        byte[] prefix = "\0sigstore-json\n".getBytes(StandardCharsets.US_ASCII);
        byte[] form = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, form, 0, prefix.length);
        System.arraycopy(body, 0, form, prefix.length, body.length);
        return form;
    }

    private static Optional<NewSignature> skip(Descriptor layer, String why) {
        LOG.debugf("cosign layer %s is not stored as a signature: %s", layer.digest(), why);
        return Optional.empty();
    }
}
