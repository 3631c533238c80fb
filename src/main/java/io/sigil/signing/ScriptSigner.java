package io.sigil.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.signature.SignatureIngest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Pulp's signing-script interface: {@code script <manifest path>} with {@code REFERENCE}, {@code SIG_PATH} and
 * {@code PULP_SIGNING_KEY_FINGERPRINT} in the environment; it must exit 0 and print
 * {@code {"signature_path": "<path>"}}. Its output is untrusted: callers check it against the service's public key.
 */
final class ScriptSigner implements Signer {

    private static final long TIMEOUT_SECONDS = 120;
    private static final int MAX_SIGNATURE_BYTES = SignatureIngest.MAX_SIGNATURE_BYTES;
    private static final int MAX_ERROR_CHARS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String script;
    private final String fingerprint;

    ScriptSigner(String script, String fingerprint) {
        this.script = script;
        this.fingerprint = fingerprint;
    }

    @Override
    public byte[] sign(byte[] manifest, String manifestDigest, String dockerReference) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("sigil-sign");
        try {
            Path manifestFile = Files.write(work.resolve("manifest.json"), manifest);
            ProcessBuilder builder = new ProcessBuilder(script, manifestFile.toString())
                    .directory(work.toFile())
                    .redirectOutput(work.resolve("stdout").toFile())
                    .redirectError(work.resolve("stderr").toFile());
            builder.environment().put("REFERENCE", dockerReference);
            builder.environment().put("SIG_PATH", work.resolve("signature").toString());
            builder.environment().put("PULP_SIGNING_KEY_FINGERPRINT", fingerprint);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("signing script " + script + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("signing script " + script + " exited with " + process.exitValue() + ": "
                        + bounded(Files.readString(work.resolve("stderr"), StandardCharsets.UTF_8)));
            }
            return readSignature(Files.readString(work.resolve("stdout"), StandardCharsets.UTF_8));
        } finally {
            deleteTree(work);
        }
    }

    private byte[] readSignature(String stdout) throws IOException {
        JsonNode result;
        try {
            result = JSON.readTree(stdout);
        } catch (IOException e) {
            throw new IOException("signing script " + script + " did not print JSON: " + bounded(stdout));
        }
        if (result == null || !result.path("signature_path").isTextual()) {
            throw new IOException("signing script " + script + " printed no signature_path: " + bounded(stdout));
        }
        Path signature = Path.of(result.get("signature_path").asText());
        if (!Files.isRegularFile(signature) || Files.size(signature) > MAX_SIGNATURE_BYTES) {
            throw new IOException("signing script " + script + " named no signature file of at most 4 MiB: " + signature);
        }
        return Files.readAllBytes(signature);
    }

    private static String bounded(String text) {
        return text.length() <= MAX_ERROR_CHARS ? text.strip() : text.substring(0, MAX_ERROR_CHARS) + "…";
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
