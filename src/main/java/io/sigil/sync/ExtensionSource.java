package io.sigil.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.storage.Digest;
import java.io.IOException;
import java.util.Base64;

/**
 * The registry signature extension ({@code GET /extensions/v2/<name>/signatures/<digest>}, signature-formats.md §3),
 * used when the upstream's {@code /v2/} answers {@code X-Registry-Supports-Signatures: 1}. Entries other than
 * schemaVersion 2 atomic ones are ignored, as containers/image does.
 */
final class ExtensionSource implements SignatureSource {

    private static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient client;
    private final String upstreamName;

    ExtensionSource(RegistryClient client, RemoteSettings remote) {
        this.client = client;
        this.upstreamName = remote.upstreamName();
    }

    @Override
    public SourceKind kind() {
        return SourceKind.EXTENSION;
    }

    @Override
    public Findings find(Digest subject) throws IOException {
        Findings findings = new Findings();
        String path = "/extensions/v2/" + upstreamName + "/signatures/" + subject;
        UpstreamHttp.Answer answer = client.get(path, "application/json");
        if (answer.status() != 200) {
            answer.discard();
            findings.problems.add("signature extension " + path + " answered " + answer.status());
            return findings;
        }
        JsonNode body;
        try {
            body = JSON.readTree(answer.read(MAX_BYTES, "signature list " + path));
        } catch (UpstreamHttp.TooLarge | com.fasterxml.jackson.core.JsonProcessingException e) {
            findings.problems.add("signature extension " + path + ": " + e.getMessage());
            return findings;
        }
        for (JsonNode entry : body.path("signatures")) {
            if (entry.path("schemaVersion").asInt() == 2 && "atomic".equals(entry.path("type").asText())
                    && entry.path("content").isTextual()) {
                decode(entry.get("content").asText(), findings, path);
            }
        }
        return findings;
    }

    private static void decode(String base64, Findings findings, String path) {
        try {
            findings.signatures.add(FoundSignature.atomic(SourceKind.EXTENSION, Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException e) {
            findings.problems.add("signature extension " + path + ": an entry's content is not base64");
        }
    }
}
