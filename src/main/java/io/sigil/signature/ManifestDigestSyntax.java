package io.sigil.signature;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code algorithm:hex} syntax of go-digest's {@code Parse}, which containers/image applies to signed manifest
 * digests and to the digest part of references. Unlike {@code io.sigil.storage.Digest} it accepts sha384 and sha512:
 * such a signature is well-formed even though it can never match a (sha256) manifest digest.
 */
final class ManifestDigestSyntax {

    private static final Map<String, Integer> HEX_LENGTH_BY_ALGORITHM = Map.of("sha256", 64, "sha384", 96, "sha512", 128);
    private static final Pattern LOWER_HEX = Pattern.compile("[a-f0-9]+");

    private ManifestDigestSyntax() {
    }

    /** Returns null when {@code digest} is valid, else what is wrong with it. */
    static String problemWith(String digest) {
        int colon = digest.indexOf(':');
        if (colon <= 0 || colon == digest.length() - 1) {
            return "not of the form algorithm:hex";
        }
        Integer hexLength = HEX_LENGTH_BY_ALGORITHM.get(digest.substring(0, colon));
        if (hexLength == null) {
            return "unsupported digest algorithm " + digest.substring(0, colon);
        }
        String hex = digest.substring(colon + 1);
        if (hex.length() != hexLength || !LOWER_HEX.matcher(hex).matches()) {
            return "the encoded part must be " + hexLength + " lower-case hex digits";
        }
        return null;
    }
}
