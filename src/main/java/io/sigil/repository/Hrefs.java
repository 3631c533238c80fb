package io.sigil.repository;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Pulp-style hrefs of repositories and their versions, and their parsing. */
public final class Hrefs {

    public static final String REPOSITORIES = "/pulp/api/v3/repositories/container/container/";
    private static final Pattern VERSION = Pattern.compile(
            Pattern.quote(REPOSITORIES) + "([0-9a-f-]{36})/versions/(\\d+)/");
    private static final Pattern REPOSITORY = Pattern.compile(Pattern.quote(REPOSITORIES) + "([0-9a-f-]{36})/");

    private Hrefs() {
    }

    public static String repository(UUID id) {
        return REPOSITORIES + id + "/";
    }

    public static String version(UUID repositoryId, int number) {
        return repository(repositoryId) + "versions/" + number + "/";
    }

    /** (repository id, version number) of a version href, or null when the text is not one. */
    public static VersionRef parseVersion(String href) {
        Matcher m = href == null ? null : VERSION.matcher(href);
        return m != null && m.matches() ? new VersionRef(UUID.fromString(m.group(1)), Integer.parseInt(m.group(2))) : null;
    }

    public static UUID parseRepository(String href) {
        Matcher m = href == null ? null : REPOSITORY.matcher(href);
        return m != null && m.matches() ? UUID.fromString(m.group(1)) : null;
    }

    public record VersionRef(UUID repository, int number) {
    }
}
