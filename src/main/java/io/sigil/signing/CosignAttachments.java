package io.sigil.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.content.NewSignature;
import io.sigil.storage.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one simple-signing layer of a cosign {@code .sig} manifest (or a lookaside {@code sigstore-json} entry) into
 * a signature unit of its subject, stored in containers/image's storage form so it reads back like a {@code dir:}
 * image's signature. Shared by everything that brings cosign signatures in (push, sync).
 */
public final class CosignAttachments {

    public static final String TYPE = "cosign";
    private static final byte[] PREFIX = "\0sigstore-json\n".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CosignAttachments() {
    }

    /**
     * @param carrierDigest the {@code .sig} manifest that carries the layer (stored first), or null
     * @throws SignatureFormatException  if the layer is not a simple-signing payload
     * @throws InvalidSignatureException if it signs another manifest than {@code subjectDigest}
     */
    public static NewSignature signature(String subjectDigest, UntrustedCosignSignature layer, String carrierDigest) {
        if (!layer.isSimpleSigning()) {
            throw new SignatureFormatException("not a cosign signature: media type " + layer.mediaType());
        }
        UntrustedCosignPayload claims = CosignSignatures.parsePayload(layer.payload());
        if (!claims.manifestDigest().equals(subjectDigest)) {
            throw new InvalidSignatureException(AtomicSignatures.digestMismatch(claims.manifestDigest(), subjectDigest));
        }
        return new NewSignature(subjectDigest, TYPE, null, storageForm(layer), null, null, claims.creator(),
                claims.timestamp(), claims.dockerReference(), Digest.sha256Of(layer.payload()).toString(), carrierDigest);
    }

    /** {@code 0x00 "sigstore-json\n"} + {@code {"mimeType","payload","annotations"}}, annotations sorted as Go does. */
    public static byte[] storageForm(UntrustedCosignSignature layer) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mimeType", layer.mediaType());
        json.put("payload", Base64.getEncoder().encodeToString(layer.payload()));
        json.put("annotations", new TreeMap<>(layer.annotations()));
        try {
            byte[] body = JSON.writeValueAsBytes(json);
            byte[] form = new byte[PREFIX.length + body.length];
            System.arraycopy(PREFIX, 0, form, 0, PREFIX.length);
            System.arraycopy(body, 0, form, PREFIX.length, body.length);
            return form;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
