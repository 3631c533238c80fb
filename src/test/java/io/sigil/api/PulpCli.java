package io.sigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pulp's own command-line client (pulp-cli with pulp-glue, {@code shared/clients/pulp} beside the project) run as a
 * real process against a test server, with its own API-document cache so every run reads the served document.
 */
final class PulpCli {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(List<String> command, int exitCode, String stdout, String stderr) {

        Result ok() {
            assertEquals(0, exitCode, () -> "pulp " + String.join(" ", command) + " failed:\n" + stderr + stdout);
            return this;
        }

        JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("pulp " + String.join(" ", command) + " printed no JSON: " + stdout + stderr, e);
            }
        }
    }

    private final String baseUrl;
    private final Path cache;

    PulpCli(String baseUrl) throws IOException {
        this.baseUrl = baseUrl.replaceAll("/$", "");
        this.cache = Files.createTempDirectory("pulp-cli-cache");
    }

    /** The wrapper script: {@code ../shared/clients/pulp} in CI's layout, two levels up from a worktree. */
    static Path executable() {
        for (String candidate : List.of("../shared/clients/pulp", "../../shared/clients/pulp")) {
            Path path = Path.of(candidate).toAbsolutePath().normalize();
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        throw new AssertionError("pulp-cli not found at ../shared/clients/pulp");
    }

    Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(executable().toString(), "--base-url", baseUrl,
                "--username", "admin", "--password", "password", "--format", "json"));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("pulp-out", ".txt");
            Path err = Files.createTempFile("pulp-err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("XDG_CACHE_HOME", cache.toString());
            Process process = builder.start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("pulp " + String.join(" ", args) + " did not finish in 180 s");
            }
            Result result = new Result(List.of(args), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new AssertionError("could not run pulp-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
