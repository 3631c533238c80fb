package io.sigil.signature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A throw-away GNUPGHOME for running gpg and skopeo (through gpgme) against our signatures. */
public final class GnuPgHome implements AutoCloseable {

    public record Result(int exitCode, String stdout, String stderr) {
    }

    private final Path home;

    public GnuPgHome() throws IOException {
        // gpg-agent's socket path must be short, so stay out of target/.
        home = Files.createTempDirectory("sigil-gnupg");
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    public static boolean commandExists(String command) {
        try {
            return new ProcessBuilder(command, "--version").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Path file(String name, byte[] content) throws IOException {
        return Files.write(home.resolve(name), content);
    }

    public Path path(String name) {
        return home.resolve(name);
    }

    public Result gpg(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--pinentry-mode", "loopback"));
        command.addAll(List.of(arguments));
        return run(command);
    }

    public Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("GNUPGHOME", home.toString());
        Path stdout = Files.createTempFile(home, "stdout", ".txt");
        Path stderr = Files.createTempFile(home, "stderr", ".txt");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** Stops the gpg-agent this home started (and only that one), then deletes the home. */
    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of("gpgconf", "--kill", "gpg-agent"));
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
