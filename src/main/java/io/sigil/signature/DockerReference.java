package io.sigil.signature;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A docker image reference, normalised as containers/image's {@code reference.ParseNormalizedNamed} does:
 * {@code busybox} becomes {@code docker.io/library/busybox}, {@code index.docker.io} becomes {@code docker.io}.
 * No default tag is added.
 *
 * @param domain registry host, with port if any; empty only in the odd upstream case of a first path component
 *               that was taken for a host but does not parse as one
 * @param path   repository path within the registry, e.g. {@code library/busybox}
 * @param tag    null if absent
 * @param digest null if absent
 */
public record DockerReference(String domain, String path, String tag, String digest) {

    private static final String DEFAULT_DOMAIN = "docker.io";
    private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_REPOSITORY_NAMESPACE = "library/";
    private static final int NAME_TOTAL_LENGTH_MAX = 255;
    /** Name, ':' tag (at most 128), '@' digest (at most sha512): longer input cannot be valid; checked before any regex. */
    private static final int INPUT_LENGTH_MAX = 1024;

    // The grammar of docker/reference/regexp.go. Possessive quantifiers keep Java's backtracking matcher linear
    // (Go's is linear by construction); "-+" replaces Go's "[-]*" separator, which matches the same names.
    private static final String NAME_COMPONENT = "[a-z0-9]++(?:(?:[._]|__|-++)[a-z0-9]++)*+";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
    private static final String PATH = NAME_COMPONENT + "(?:/" + NAME_COMPONENT + ")*+";
    static final String NAME = "(?:" + DOMAIN + "/)?" + PATH;
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*+(?:[-_+.][A-Za-z][A-Za-z0-9]*+)*+:[0-9a-fA-F]{32,}";

    private static final Pattern REFERENCE = Pattern.compile("(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final Pattern DOMAIN_AND_PATH = Pattern.compile("(?:(" + DOMAIN + ")/)?(" + PATH + ")");
    private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

    /**
     * Parses and normalises {@code reference}.
     *
     * @throws IllegalArgumentException naming the problem, e.g. for upper case in the repository name
     */
    public static DockerReference parseNormalized(String reference) {
        if (reference.length() > INPUT_LENGTH_MAX) {
            throw new IllegalArgumentException("invalid reference: longer than " + INPUT_LENGTH_MAX + " characters");
        }
        if (IMAGE_ID.matcher(reference).matches()) {
            throw new IllegalArgumentException("invalid repository name (" + reference + "), cannot specify 64-byte hexadecimal strings");
        }
        int slash = reference.indexOf('/');
        String domain = DEFAULT_DOMAIN;
        String remainder = reference;
        if (slash >= 0) {
            String first = reference.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                domain = first;
                remainder = reference.substring(slash + 1);
            }
        }
        if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && remainder.indexOf('/') < 0) {
            remainder = OFFICIAL_REPOSITORY_NAMESPACE + remainder;
        }
        int colon = remainder.indexOf(':');
        String remoteName = colon >= 0 ? remainder.substring(0, colon) : remainder;
        if (!remoteName.toLowerCase(Locale.ROOT).equals(remoteName)) {
            throw new IllegalArgumentException("invalid reference \"" + reference + "\": repository name must be lowercase");
        }
        return parseCanonicalSyntax(domain + "/" + remainder, reference);
    }

    /** {@code reference.ParseNamed}: like {@link #parseNormalized} but the input must already be in normal form. */
    static DockerReference parseAlreadyNormalized(String reference) {
        DockerReference parsed = parseNormalized(reference);
        if (!parsed.toString().equals(reference)) {
            throw new IllegalArgumentException("reference \"" + reference + "\" is not in normalised form (" + parsed + ")");
        }
        return parsed;
    }

    private static DockerReference parseCanonicalSyntax(String candidate, String original) {
        Matcher reference = REFERENCE.matcher(candidate);
        if (!reference.matches()) {
            throw new IllegalArgumentException("invalid reference format: \"" + original + "\"");
        }
        String name = reference.group(1);
        if (name.length() > NAME_TOTAL_LENGTH_MAX) {
            throw new IllegalArgumentException("repository name must not be more than " + NAME_TOTAL_LENGTH_MAX + " characters");
        }
        String digest = reference.group(3);
        if (digest != null) {
            String problem = ManifestDigestSyntax.problemWith(digest);
            if (problem != null) {
                throw new IllegalArgumentException("invalid digest in reference \"" + original + "\": " + problem);
            }
        }
        Matcher domainAndPath = DOMAIN_AND_PATH.matcher(name);
        if (!domainAndPath.matches()) {
            throw new IllegalArgumentException("invalid reference format: \"" + original + "\"");
        }
        // Like upstream, a first component that looked like a host but is not one (e.g. "a_b.com") stays in the path.
        String domain = domainAndPath.group(1) == null ? "" : domainAndPath.group(1);
        return new DockerReference(domain, domainAndPath.group(2), reference.group(2), digest);
    }

    /** The repository: domain and path, without tag or digest. */
    String name() {
        return domain.isEmpty() ? path : domain + "/" + path;
    }

    /** True when the reference has neither tag nor digest. */
    public boolean isNameOnly() {
        return tag == null && digest == null;
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
