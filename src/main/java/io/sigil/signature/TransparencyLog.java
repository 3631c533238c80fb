package io.sigil.signature;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Proofs that a Rekor entry is in the log: the signed entry timestamp (a promise of inclusion) and the RFC 6962 Merkle
 * inclusion proof with its signed checkpoint. Each method returns null when the proof holds, else why not.
 */
final class TransparencyLog {

    private TransparencyLog() {
    }

    /** ECDSA by the log over the canonical JSON of {body, integratedTime, logID (hex), logIndex}. */
    static String setProblem(JsonNode entry, SigstoreTrustedRoot.Log log) {
        String set = entry.path("inclusionPromise").path("signedEntryTimestamp").asText(null);
        if (set == null) {
            return "no signed entry timestamp";
        }
        String canonical = "{\"body\":\"" + entry.path("canonicalizedBody").asText() + "\",\"integratedTime\":"
                + Long.parseLong(entry.path("integratedTime").asText()) + ",\"logID\":\""
                + HexFormat.of().formatHex(log.keyId()) + "\",\"logIndex\":" + Long.parseLong(entry.path("logIndex").asText()) + "}";
        return PublicKeySignatures.verifies(log.key(), canonical.getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(set))
                ? null : "the signed entry timestamp does not verify with the log's key";
    }

    /** The Merkle path from the entry's leaf to the root hash, and the log's signature on the checkpoint naming that root. */
    static String inclusionProblem(JsonNode entry, byte[] body, SigstoreTrustedRoot.Log log) {
        JsonNode proof = entry.path("inclusionProof");
        long index = Long.parseLong(proof.path("logIndex").asText());
        long size = Long.parseLong(proof.path("treeSize").asText());
        byte[] root = Base64.getDecoder().decode(proof.path("rootHash").asText());
        List<byte[]> hashes = new java.util.ArrayList<>();
        proof.path("hashes").forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
        if (!Arrays.equals(root, rootFromPath(index, size, leafHash(body), hashes))) {
            return "the inclusion proof does not lead to the root hash";
        }
        return checkpointProblem(proof.path("checkpoint").path("envelope").asText(null), size, root, log);
    }

    /** RFC 9162 §2.1.3.2: the root an audit path gives, or null when the path does not fit the tree. */
    static byte[] rootFromPath(long index, long size, byte[] leaf, List<byte[]> path) {
        if (index >= size) {
            return null;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leaf;
        for (byte[] p : path) {
            if (sn == 0) {
                return null;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : null;
    }

    /**
     * A signed note: origin, tree size, base64 root hash (and maybe more lines), a blank line, then signature lines
     * {@code — <name> <base64(4-byte key hint ‖ signature)>}. One of them must verify over the text before the blank line.
     */
    private static String checkpointProblem(String note, long size, byte[] root, SigstoreTrustedRoot.Log log) {
        if (note == null) {
            return "the inclusion proof has no checkpoint";
        }
        int split = note.indexOf("\n\n");
        if (split < 0) {
            return "the checkpoint is not a signed note";
        }
        String text = note.substring(0, split + 1);
        String[] lines = text.split("\n");
        if (lines.length < 3 || !lines[1].equals(Long.toString(size)) || !lines[2].equals(Base64.getEncoder().encodeToString(root))) {
            return "the checkpoint does not name the proof's tree size and root hash";
        }
        for (String line : note.substring(split + 2).split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length == 3 && parts[0].equals("\u2014")) {
                byte[] signature = Base64.getDecoder().decode(parts[2]);
                if (signature.length > 4 && PublicKeySignatures.verifies(log.key(), text.getBytes(StandardCharsets.UTF_8),
                        Arrays.copyOfRange(signature, 4, signature.length))) {
                    return null;
                }
            }
        }
        return "the checkpoint is not signed by the log";
    }

    static byte[] leafHash(byte[] body) {
        return sha256(new byte[] {0}, body);
    }

    private static byte[] nodeHash(byte[] left, byte[] right) {
        return sha256(new byte[] {1}, left, right);
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
