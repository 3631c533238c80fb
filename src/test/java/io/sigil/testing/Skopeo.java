package io.sigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real skopeo against a registry on loopback over plain HTTP, with its own policy.json (accept anything)
 * and an empty registries.d, so nothing from the machine's configuration leaks into a test.
 */
public final class Skopeo {

    private final Path policy;
    private final Path registriesD;

    public Skopeo() {
        this("{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
    }

    /** A skopeo that enforces this policy.json (e.g. signedBy requirements) on every copy. */
    public Skopeo(String policyJson) {
        try {
            Path home = Files.createTempDirectory("skopeo-test");
            policy = home.resolve("policy.json");
            Files.writeString(policy, policyJson);
            registriesD = Files.createDirectories(home.resolve("registries.d"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes skopeo read and write cosign attachments ({@code sha256-<hex>.sig} tags) at every registry, as
     * registries.d's {@code use-sigstore-attachments: true} does.
     */
    /** containers/image reads (and, for file URLs, writes) atomic signatures at this lookaside base. */
    public Skopeo withLookaside(String url) {
        try {
            Files.writeString(registriesD.resolve("lookaside.yaml"), "default-docker:\n  lookaside: " + url + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return this;
    }

    public Skopeo withSigstoreAttachments() {
        try {
            Files.writeString(registriesD.resolve("sigstore-attachments.yaml"), "default-docker:\n  use-sigstore-attachments: true\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The output of a finished skopeo run. */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("skopeo failed (" + exitCode + "): " + stderr + stdout);
            }
            return this;
        }
    }

    /** {@code skopeo copy} with TLS verification off on both sides; extra flags (e.g. --all, --dest-creds) first. */
    public Result copy(String source, String destination, String... flags) {
        List<String> args = new ArrayList<>(List.of("copy", "--src-tls-verify=false", "--dest-tls-verify=false"));
        args.addAll(List.of(flags));
        args.add(source);
        args.add(destination);
        return run(args);
    }

    public Result inspect(String image, String... flags) {
        List<String> args = new ArrayList<>(List.of("inspect", "--tls-verify=false"));
        args.addAll(List.of(flags));
        args.add(image);
        return run(args);
    }

    public Result listTags(String repository, String... flags) {
        List<String> args = new ArrayList<>(List.of("list-tags", "--tls-verify=false"));
        args.addAll(List.of(flags));
        args.add(repository);
        return run(args);
    }

    public Result run(List<String> args) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--policy", policy.toString(),
                "--registries.d", registriesD.toString()));
        command.addAll(args);
        try {
            Path out = Files.createTempFile("skopeo", ".out");
            Path err = Files.createTempFile("skopeo", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("skopeo timed out: " + command);
            }
            Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
