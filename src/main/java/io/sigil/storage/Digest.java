package io.sigil.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest in the OCI form {@code algorithm:hex}. Only sha256 is accepted: containers/image computes and
 * compares manifest digests with sha256 alone, so any other algorithm could never be verified by a client.
 */
public record Digest(String algorithm, String hex) {

    public static final String SHA256 = "sha256";
    private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern ANY_DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    public Digest {
        if (!SHA256.equals(algorithm)) {
            throw new InvalidDigestException("unsupported digest algorithm '" + algorithm + "': only sha256 is supported");
        }
        if (!SHA256_HEX.matcher(hex).matches()) {
            throw new InvalidDigestException("a sha256 digest needs 64 lower-case hex characters, got '" + hex + "'");
        }
    }

    /** Parses {@code sha256:<hex>}; throws {@link InvalidDigestException} naming what is wrong. */
    public static Digest parse(String text) {
        if (text == null || !ANY_DIGEST.matcher(text).matches()) {
            throw new InvalidDigestException("'" + text + "' is not a digest of the form algorithm:hex");
        }
        int colon = text.indexOf(':');
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (InvalidDigestException e) {
            return false;
        }
    }

    public static Digest sha256Of(byte[] bytes) {
        return new Digest(SHA256, HexFormat.of().formatHex(newSha256().digest(bytes)));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
