package io.sigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * skopeo with a throw-away gpg key in its own GNUPGHOME, and a registries.d that stages signatures in a local
 * lookaside directory ({@code lookaside-staging: file://...}), as a publisher signing into a docker-registry would.
 */
public final class SigningSkopeo implements AutoCloseable {

    private final Path home;
    private final Path gnupg;
    private final Path lookaside;
    private final String fingerprint;

    public SigningSkopeo() {
        try {
            // gpg-agent's socket path must be short: stay in /tmp.
            home = Files.createTempDirectory("sigil-sync");
            gnupg = Files.createDirectory(home.resolve("g"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            lookaside = Files.createDirectory(home.resolve("lookaside"));
            Files.createDirectory(home.resolve("registries.d"));
            Files.writeString(home.resolve("registries.d/default.yaml"),
                    "default-docker:\n  lookaside-staging: file://" + lookaside + "\n");
            Files.writeString(home.resolve("policy.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
            run(List.of("gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Sync Test <sync@example.com>",
                    "rsa2048", "sign", "never"));
            fingerprint = run(List.of("gpg", "--batch", "--with-colons", "--list-keys")).lines()
                    .filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String fingerprint() {
        return fingerprint;
    }

    public String armoredPublicKey() {
        return run(List.of("gpg", "--batch", "--armor", "--export", fingerprint));
    }

    /** The directory skopeo writes signatures to: serve it over HTTP as the remote's sigstore. */
    public Path lookaside() {
        return lookaside;
    }

    /** {@code skopeo copy} to a plain-HTTP registry, signing with the key when {@code sign}. */
    public void copy(String source, String destination, boolean sign, String... flags) {
        List<String> command = new ArrayList<>(List.of("skopeo", "--policy", home.resolve("policy.json").toString(),
                "--registries.d", home.resolve("registries.d").toString(), "copy", "--dest-tls-verify=false"));
        if (sign) {
            command.addAll(List.of("--sign-by", fingerprint));
        }
        command.addAll(List.of(flags));
        command.add(source);
        command.add(destination);
        run(command);
    }

    /** Runs a command with this GNUPGHOME; fails the test on a non-zero exit. Returns stdout. */
    public String run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("GNUPGHOME", gnupg.toString());
            Path out = Files.createTempFile(home, "out", ".txt");
            Path err = Files.createTempFile(home, "err", ".txt");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " failed: " + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Stops the gpg-agent of this home (only that one) and deletes everything. */
    @Override
    public void close() {
        run(List.of("gpgconf", "--kill", "gpg-agent"));
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }
}
