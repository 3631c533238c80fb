package io.sigil.exchange;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sigil.common.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pulp's {@code import-check}: everything an import would check before changing anything, without importing. The
 * checks build on each other (an archive path that is not allowed is not opened); a check that could not run says
 * why. It reads every chunk once, as an import does first.
 */
@ApplicationScoped
public class ImportCheck {

    @Inject
    ExchangePaths paths;
    @Inject
    ExchangeConfig config;

    /** {@code path}: the table of contents, as imports take it; {@code repo_mapping} as importers take it. */
    public record Request(String path, Map<String, String> repo_mapping) {
    }

    /** One check, in Pulp's shape. */
    public record Result(String context, @JsonProperty("is_valid") boolean isValid, List<String> messages) {
        static Result valid(String context) {
            return new Result(context, true, List.of());
        }

        static Result invalid(String context, String message) {
            return new Result(context, false, List.of(message));
        }
    }

    /**
     * @param path       the path is absolute, under an allowed import path, a readable regular file
     * @param toc        the table of contents is valid, in a format version this Sigil reads, and every chunk it
     *                   names is there with its size and sha256
     * @param header     the archive starts with its header in a readable format version, and its records are
     *                   consistent
     * @param repoMapping the mapping is one an importer accepts; only when given
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Report(Result path, Result toc, Result header, @JsonProperty("repo_mapping") Result repoMapping) {
    }

    public Report check(Request request) {
        if (request == null || (request.path() == null && request.repo_mapping() == null)) {
            throw ApiException.badRequest("give path (a table of contents) and/or repo_mapping to check");
        }
        Result mapping = request.repo_mapping() == null ? null : mapping(request.repo_mapping());
        if (request.path() == null) {
            return new Report(null, null, null, mapping);
        }
        String context = request.path();
        Path toc;
        try {
            toc = paths.requireReadableImportFile("path", context);
        } catch (ApiException e) {
            String notChecked = "not checked: the path is not valid";
            return new Report(Result.invalid(context, withoutField(e)), Result.invalid(context, notChecked),
                    Result.invalid(context, notChecked), mapping);
        }
        var limits = new ArchiveReader.Limits(config.maxMetadataSize().asLongValue());
        ArchiveReader reader;
        try {
            reader = ArchiveReader.open(toc, limits);
        } catch (HostileArchiveException | IOException e) {
            return new Report(Result.valid(context), Result.invalid(context, messageOf(e)),
                    Result.invalid(context, "not checked: the table of contents is not valid"), mapping);
        }
        try (reader) {
            ArchiveMetadata metadata = ArchiveMetadata.read(reader);
            return new Report(Result.valid(context), Result.valid(context),
                    Result.valid(ArchiveFormat.HEADER + ": format " + metadata.header.formatVersion()),
                    againstArchive(mapping, request.repo_mapping(), metadata));
        } catch (HostileArchiveException | IOException e) {
            return new Report(Result.valid(context), Result.valid(context), Result.invalid(ArchiveFormat.HEADER, messageOf(e)),
                    mapping);
        }
    }

    private static Result mapping(Map<String, String> mapping) {
        try {
            ImporterService.validMapping(mapping);
            return Result.valid(mapping.toString());
        } catch (ApiException e) {
            return Result.invalid(mapping.toString(), withoutField(e));
        }
    }

    /** A mapping valid on its own must also name only repositories the archive carries, or the import ignores it. */
    private static Result againstArchive(Result mapping, Map<String, String> requested, ArchiveMetadata metadata) {
        if (mapping == null || !mapping.isValid()) {
            return mapping;
        }
        String unknown = sourcesNotInArchive(requested, metadata);
        return unknown == null ? mapping : Result.invalid(mapping.context(), unknown);
    }

    /** Says which keys of a repo_mapping name no repository of the archive, or null when all do. */
    static String sourcesNotInArchive(Map<String, String> mapping, ArchiveMetadata metadata) {
        Set<String> carried = metadata.repositories.stream().map(RepositoryRecord::name).collect(Collectors.toSet());
        List<String> unknown = mapping.keySet().stream().filter(source -> !carried.contains(source)).sorted().toList();
        return unknown.isEmpty() ? null : "repo_mapping names " + unknown + ", which the archive does not carry (it has "
                + carried.stream().sorted().toList() + ")";
    }

    private static String messageOf(Exception e) {
        return e instanceof HostileArchiveException ? e.getMessage() : "cannot read the archive: " + e.getMessage();
    }

    private static String withoutField(ApiException e) {
        String message = e.getMessage();
        int colon = message.indexOf(": ");
        return e.body().size() == 1 && colon > 0 && e.body().containsKey(message.substring(0, colon))
                ? message.substring(colon + 2) : message;
    }
}
