package io.sigil.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An in-toto Statement (v0.1 or v1) as a DSSE payload: what it is about ({@code subject}: names with digests) and what
 * it says ({@code predicateType}). The predicate itself is kept opaque.
 */
public record InTotoStatement(String type, List<Subject> subjects, String predicateType) {

    public static final String V01 = "https://in-toto.io/Statement/v0.1";
    public static final String V1 = "https://in-toto.io/Statement/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param digests algorithm (lower case) to lower-case hex */
    public record Subject(String name, Map<String, String> digests) {
    }

    public InTotoStatement {
        subjects = List.copyOf(subjects);
    }

    /** Parses a verified DSSE payload. */
    public static InTotoStatement parse(byte[] payload) {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new SignatureFormatError("the in-toto Statement is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SignatureFormatError("the in-toto Statement is not a JSON object");
        }
        String type = root.path("_type").asText("");
        if (!V01.equals(type) && !V1.equals(type)) {
            throw new SignatureFormatError("not an in-toto Statement: _type is '" + type + "'");
        }
        JsonNode predicateType = root.get("predicateType");
        if (predicateType == null || !predicateType.isTextual() || predicateType.asText().isBlank()) {
            throw new SignatureFormatError("the in-toto Statement has no predicateType");
        }
        JsonNode subject = root.path("subject");
        if (!subject.isArray() || subject.isEmpty()) {
            throw new SignatureFormatError("the in-toto Statement has no subject");
        }
        List<Subject> subjects = new ArrayList<>();
        for (JsonNode s : subject) {
            Map<String, String> digests = new TreeMap<>();
            s.path("digest").fields().forEachRemaining(e ->
                    digests.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText().toLowerCase(Locale.ROOT)));
            subjects.add(new Subject(s.path("name").isTextual() ? s.get("name").asText() : null, digests));
        }
        return new InTotoStatement(type, subjects, predicateType.asText());
    }

    /**
     * Whether a subject names the manifest {@code digest} ({@code sha256:<hex>}) by its sha256, as cosign's
     * {@code IntotoSubjectClaimVerifier} checks it; subjects without sha256 are skipped and names are not compared.
     */
    public boolean names(String digest) {
        int colon = digest.indexOf(':');
        String algorithm = digest.substring(0, colon);
        String hex = digest.substring(colon + 1).toLowerCase(Locale.ROOT);
        return subjects.stream().anyMatch(s -> hex.equals(s.digests().get(algorithm)));
    }

    /** The first subject's name, for showing what the attestation claims to be about. */
    public String firstSubjectName() {
        return subjects.get(0).name();
    }
}
