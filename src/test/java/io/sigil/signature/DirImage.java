package io.sigil.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * A containers/image {@code dir:} image fixture (manifest.json, signature-1, signature-2, …) and the policy decision
 * upstream makes for it: accepted if at least one signature is valid for the image, rejected with every reason
 * otherwise. Only for tests: the manifest digest rules are the manifests package's business.
 */
record DirImage(String directory) {

    enum Decision { ACCEPTED, REJECTED }

    record Evaluation(Decision decision, List<Verdict> verdicts, String reasons) {
    }

    List<byte[]> signatures() {
        List<byte[]> signatures = new ArrayList<>();
        for (int n = 1; Fixtures.exists(directory + "/signature-" + n); n++) {
            signatures.add(Fixtures.read(directory + "/signature-" + n));
        }
        return signatures;
    }

    /** @throws IllegalStateException if there is no manifest or its digest cannot be computed, as upstream errors */
    String manifestDigest() {
        if (!Fixtures.exists(directory + "/manifest.json")) {
            throw new IllegalStateException("no manifest in " + directory);
        }
        return digestOf(Fixtures.read(directory + "/manifest.json"));
    }

    /** Atomic signatures checked against an OpenPGP keyring. */
    Evaluation evaluateAtomic(OpenPgpKeyring keys, String imageReference, IdentityRule rule) {
        String digest = manifestDigest();
        return decide(signatures(), blob -> AtomicSignatures.verify(blob, keys, digest).requireIdentity(imageReference, rule));
    }

    /** Cosign signatures (storage form) checked against public keys; other attachments are skipped. */
    Evaluation evaluateCosign(List<java.security.PublicKey> keys, String imageReference, IdentityRule rule) {
        String digest = manifestDigest();
        List<byte[]> signatureLayers = signatures().stream()
                .filter(blob -> CosignSignatures.fromStorageForm(blob).isSimpleSigning())
                .toList();
        return decide(signatureLayers, blob -> CosignSignatures.verify(CosignSignatures.fromStorageForm(blob), keys, digest)
                .requireIdentity(imageReference, rule));
    }

    private static Evaluation decide(List<byte[]> signatures, Function<byte[], Verdict> verifier) {
        if (signatures.isEmpty()) {
            return new Evaluation(Decision.REJECTED, List.of(), "a signature was required, but no signature exists");
        }
        List<Verdict> verdicts = signatures.stream().map(verifier).toList();
        boolean anyValid = verdicts.stream().anyMatch(Verdict::isValid);
        String reasons = String.join("; ", verdicts.stream().map(Verdict::reason).toList());
        return new Evaluation(anyValid ? Decision.ACCEPTED : Decision.REJECTED, verdicts, reasons);
    }

    /** Signed schema 1 manifests are hashed over their JWS payload; this helper only knows to refuse malformed ones. */
    private static String digestOf(byte[] manifest) {
        try {
            JsonNode json = new ObjectMapper().readTree(manifest);
            if (json.path("schemaVersion").asInt() == 1 && json.has("signatures")) {
                if (!json.get("signatures").isArray()) {
                    throw new IllegalStateException("schema 1 manifest with malformed signatures: digest cannot be computed");
                }
                throw new UnsupportedOperationException("signed schema 1 manifests are not needed by these tests");
            }
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot compute the manifest digest", e);
        }
    }
}
