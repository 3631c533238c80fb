package io.sigil.signature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The upstream containers/image fixtures and the facts their README states about them. */
public final class Fixtures {

    /** sha256 of image.manifest.json. */
    public static final String D1 = "sha256:20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55";
    /** sha256 of dir-img-cosign-valid/manifest.json. */
    public static final String D2 = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";

    public static final String TEST_KEY = "08CD26E446E2E95249B7A405E932F44B23E8DD43";
    public static final String KEY_WITH_PASSPHRASE = "F2B501009F78B0B340221A12A3CD242DA6028093";
    public static final String PRIMARY_WITH_SUBKEY = "B9F4CDB9FD8C475BFA340AC38D54A947EE396F36";
    public static final String SUBKEY_OF_PRIMARY_WITH_SUBKEY = "57D1D95BBC53BA0EAFF0718CD75B3109B3BAAEAF";
    public static final String PRIMARY_WITH_REVOKED_SUBKEY = "6D88C5A1993648A17B2BB0DC6B8499AF63388D63";
    public static final String REVOKED_SUBKEY = "4D33404E00B470050709F3233EF0F93A1F602997";

    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]*)-----END [A-Z ]+-----");

    private Fixtures() {
    }

    public static byte[] read(String name) {
        String path = "/fixtures/containers-image/" + name;
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean exists(String name) {
        return Fixtures.class.getResource("/fixtures/containers-image/" + name) != null;
    }

    /**
     * The same PEM blocks in another layout: a note before them (as {@code openssl x509 -text} writes), CRLF line
     * ends, base64 lines of 76 characters and blank lines between blocks.
     */
    public static String relaidOut(String pem) {
        StringBuilder out = new StringBuilder("subject=CN=a note before the blocks\r\n\r\n");
        Matcher block = PEM_BLOCK.matcher(pem);
        while (block.find()) {
            String base64 = block.group(2).replaceAll("\\s", "");
            out.append("-----BEGIN ").append(block.group(1)).append("-----\r\n");
            for (int i = 0; i < base64.length(); i += 76) {
                out.append(base64, i, Math.min(base64.length(), i + 76)).append("\r\n");
            }
            out.append("-----END ").append(block.group(1)).append("-----\r\n\r\n");
        }
        return out.toString();
    }

    public static OpenPgpKeyring keyring(String... keyFiles) {
        byte[][] blobs = new byte[keyFiles.length][];
        for (int i = 0; i < keyFiles.length; i++) {
            blobs[i] = read(keyFiles[i]);
        }
        return OpenPgpKeyring.of(blobs);
    }
}
