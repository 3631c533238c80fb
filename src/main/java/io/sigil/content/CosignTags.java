package io.sigil.content;

import io.sigil.storage.Digest;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tag names that attach content to a manifest digest: cosign's {@code sha256-<hex>.sig/.att/.sbom}, and the OCI 1.1
 * referrers fallback tag {@code sha256-<hex>} (no suffix). Only sha256 is supported, so none needs truncation.
 */
public final class CosignTags {

    public enum TagKind {
        SIGNATURE(".sig"), ATTESTATION(".att"), SBOM(".sbom"), REFERRERS_FALLBACK("");

        private final String suffix;

        TagKind(String suffix) {
            this.suffix = suffix;
        }
    }

    /** The manifest a tag name points at, and what kind of attachment tag it is. */
    public record TagTarget(Digest subject, TagKind kind) {
    }

    private static final Pattern TAG = Pattern.compile("sha256-([a-f0-9]{64})(\\.sig|\\.att|\\.sbom)?");

    private CosignTags() {
    }

    public static String signatureTag(Digest subject) {
        return tag(subject, TagKind.SIGNATURE);
    }

    public static String attestationTag(Digest subject) {
        return tag(subject, TagKind.ATTESTATION);
    }

    public static String sbomTag(Digest subject) {
        return tag(subject, TagKind.SBOM);
    }

    public static String referrersFallbackTag(Digest subject) {
        return tag(subject, TagKind.REFERRERS_FALLBACK);
    }

    public static String tag(Digest subject, TagKind kind) {
        return subject.algorithm() + "-" + subject.hex() + kind.suffix;
    }

    /** The subject and kind encoded in {@code tagName}, or empty for any other tag. */
    public static Optional<TagTarget> subjectOf(String tagName) {
        Matcher m = TAG.matcher(tagName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new TagTarget(new Digest(Digest.SHA256, m.group(1)), kindOf(m.group(2))));
    }

    private static TagKind kindOf(String suffix) {
        String wanted = suffix == null ? "" : suffix;
        return Arrays.stream(TagKind.values()).filter(k -> k.suffix.equals(wanted)).findFirst().orElseThrow();
    }
}
