package io.sigil.signature;

import java.util.regex.Pattern;

/**
 * How the docker-reference a signature vouches for must relate to the reference of the image being checked: the
 * {@code signedIdentity} of a containers/image policy (default {@link #matchRepoDigestOrExact()}).
 * References are compared after normalisation; an unparsable reference on either side never matches.
 */
public abstract class IdentityRule {

    private static final Pattern DOMAIN_ONLY = Pattern.compile(DockerReference.DOMAIN);
    private static final Pattern STARTS_WITH_DOMAIN = Pattern.compile(DockerReference.DOMAIN + "/.*");
    private static final Pattern NAME_ONLY = Pattern.compile(DockerReference.NAME);

    private final String description;

    private IdentityRule(String description) {
        this.description = description;
    }

    /** Both references carry a tag or digest, and they are equal. */
    public static IdentityRule matchExact() {
        return new IdentityRule("matchExact") {
            @Override
            boolean accepts(DockerReference signed, DockerReference image) {
                return !image.isNameOnly() && !signed.isNameOnly() && signed.toString().equals(image.toString());
            }
        };
    }

    /**
     * The signed reference carries a tag or digest; a tagged image needs an equal reference, an image by digest
     * only the same repository (the digest itself is checked against the manifest, not here).
     */
    public static IdentityRule matchRepoDigestOrExact() {
        return new IdentityRule("matchRepoDigestOrExact") {
            @Override
            boolean accepts(DockerReference signed, DockerReference image) {
                return repoDigestOrExact(signed, image);
            }
        };
    }

    /** Same repository; tags and digests are ignored. */
    public static IdentityRule matchRepository() {
        return new IdentityRule("matchRepository") {
            @Override
            boolean accepts(DockerReference signed, DockerReference image) {
                return signed.name().equals(image.name());
            }
        };
    }

    /** The signed reference equals {@code reference}, which must carry a tag or digest; the image is not consulted. */
    public static IdentityRule exactReference(String reference) {
        DockerReference expected = DockerReference.parseNormalized(reference);
        if (expected.isNameOnly()) {
            throw new IllegalArgumentException("exactReference needs a tag or digest, got \"" + reference + "\"");
        }
        return new IdentityRule("exactReference " + expected) {
            @Override
            boolean accepts(DockerReference signed, DockerReference image) {
                return !signed.isNameOnly() && signed.toString().equals(expected.toString());
            }
        };
    }

    /** The signed reference is in {@code repository}; the image is not consulted. */
    public static IdentityRule exactRepository(String repository) {
        DockerReference expected = DockerReference.parseNormalized(repository);
        return new IdentityRule("exactRepository " + expected.name()) {
            @Override
            boolean accepts(DockerReference signed, DockerReference image) {
                return signed.name().equals(expected.name());
            }
        };
    }

    /**
     * For mirrors: if the image's repository is {@code prefix} or lies under {@code prefix/}, that prefix is replaced
     * by {@code signedPrefix} before applying {@link #matchRepoDigestOrExact()}. Both prefixes are host[:port],
     * namespace or repository, fully expanded (e.g. {@code docker.io/library}, never {@code library}).
     */
    public static IdentityRule remapIdentity(String prefix, String signedPrefix) {
        requireValidPrefix(prefix);
        requireValidPrefix(signedPrefix);
        return new IdentityRule("remapIdentity " + prefix + " → " + signedPrefix) {
            @Override
            boolean accepts(DockerReference signed, DockerReference image) {
                DockerReference remapped;
                try {
                    remapped = remap(image, prefix, signedPrefix);
                } catch (IllegalArgumentException e) {
                    return false;
                }
                return repoDigestOrExact(signed, remapped);
            }
        };
    }

    /**
     * Whether a signature vouching for {@code signedReference} is acceptable for the image {@code imageReference}.
     * Never throws for bad references: an unparsable one simply does not match.
     */
    public static boolean identityMatches(String signedReference, String imageReference, IdentityRule rule) {
        DockerReference signed;
        DockerReference image;
        try {
            signed = DockerReference.parseNormalized(signedReference);
            image = DockerReference.parseNormalized(imageReference);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return rule.accepts(signed, image);
    }

    abstract boolean accepts(DockerReference signed, DockerReference image);

    @Override
    public String toString() {
        return description;
    }

    private static boolean repoDigestOrExact(DockerReference signed, DockerReference image) {
        if (signed.isNameOnly()) {
            return false;
        }
        if (image.tag() != null) { // Includes references with both a tag and a digest: both must match.
            return signed.toString().equals(image.toString());
        }
        if (image.digest() != null) {
            return signed.name().equals(image.name());
        }
        return false;
    }

    /** Only the first occurrence of the prefix is replaced, and the result must already be in normal form, as upstream. */
    static DockerReference remap(DockerReference image, String prefix, String signedPrefix) {
        String name = image.name();
        boolean underPrefix = name.equals(prefix) || (name.startsWith(prefix) && name.charAt(prefix.length()) == '/');
        if (!underPrefix) {
            return image;
        }
        String reference = image.toString();
        int start = reference.indexOf(prefix);
        return DockerReference.parseAlreadyNormalized(
                reference.substring(0, start) + signedPrefix + reference.substring(start + prefix.length()));
    }

    private static void requireValidPrefix(String prefix) {
        boolean valid = DOMAIN_ONLY.matcher(prefix).matches()
                || (NAME_ONLY.matcher(prefix).matches() && STARTS_WITH_DOMAIN.matcher(prefix).matches());
        if (!valid) {
            throw new IllegalArgumentException("identity remapping prefix \"" + prefix + "\" is not valid");
        }
    }
}
