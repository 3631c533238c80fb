package io.sigil.exchange;

import io.sigil.common.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps exports and imports inside the configured directories. Paths are compared after resolving symbolic links,
 * so a link inside an allowed directory cannot lead outside it.
 */
@ApplicationScoped
public class ExchangePaths {

    @Inject
    ExchangeConfig config;

    /** Validates an exporter's directory at creation: absolute, and under an allowed export path. */
    public String requireExportPath(String field, String path) {
        requireUnder(field, path, config.allowedExportPaths().orElse(List.of()), "sigil.exchange.allowed-export-paths");
        return Path.of(path).normalize().toString();
    }

    /** Validates a table of contents to import: an existing, readable regular file under an allowed import path. */
    public Path requireReadableImportFile(String field, String path) {
        Path resolved = requireUnder(field, path, config.allowedImportPaths().orElse(List.of()),
                "sigil.exchange.allowed-import-paths");
        if (!Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
            throw ApiException.field(field, "'" + path + "' is not a regular file");
        }
        if (!Files.isReadable(resolved)) {
            throw ApiException.field(field, "'" + path + "' is not readable by this Sigil");
        }
        return resolved;
    }

    /** Creates the export directory when needed and checks again, now that links can be resolved. */
    Path exportDirectory(String path) throws IOException {
        Path directory = Files.createDirectories(Path.of(path));
        Path real = directory.toRealPath();
        if (!isUnder(real, config.allowedExportPaths().orElse(List.of()))) {
            throw new IllegalStateException("export directory " + real + " is not under sigil.exchange.allowed-export-paths");
        }
        return real;
    }

    private static Path requireUnder(String field, String path, List<String> allowed, String setting) {
        if (path == null || path.isBlank() || !Path.of(path).isAbsolute()) {
            throw ApiException.field(field, "an absolute path is required");
        }
        if (allowed.isEmpty()) {
            throw ApiException.field(field, "no path is allowed: configure " + setting);
        }
        Path resolved = realOrNormal(Path.of(path));
        if (!isUnder(resolved, allowed)) {
            throw ApiException.field(field, "'" + path + "' is not under " + setting + " " + allowed);
        }
        return resolved;
    }

    private static boolean isUnder(Path path, List<String> allowed) {
        return allowed.stream().map(a -> realOrNormal(Path.of(a))).anyMatch(path::startsWith);
    }

    /** The real path of the deepest existing ancestor, with the rest appended: links resolved as far as they exist. */
    private static Path realOrNormal(Path path) {
        Path normal = path.toAbsolutePath().normalize();
        Path existing = normal;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return normal;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(normal));
        } catch (IOException e) {
            return normal;
        }
    }
}
