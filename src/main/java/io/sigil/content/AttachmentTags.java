package io.sigil.content;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names of cosign attachment tags ({@code sha256-<hex>.sig|.att|.sbom}) and the referrers fallback tag. */
final class AttachmentTags {

    private static final Pattern ATTACHMENT = Pattern.compile("sha256-([a-f0-9]{64})\\.(sig|att|sbom)");

    private AttachmentTags() {
    }

    static Optional<String> subjectOf(String tagName) {
        Matcher m = ATTACHMENT.matcher(tagName);
        return m.matches() ? Optional.of("sha256:" + m.group(1)) : Optional.empty();
    }
}
