package io.sigil.sync;

import io.sigil.signing.CosignSignatures;
import io.sigil.signing.OpenPgpKeyring;
import io.sigil.signing.TrustedKey;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A remote's {@code verify_with}: armored OpenPGP keys for atomic signatures, PEM public keys for cosign ones, each
 * given inline or as the href of a trusted key (resolved to its key material by {@code hrefs}).
 */
public record VerifyKeys(OpenPgpKeyring openPgp, List<PublicKey> cosign) {

    private static final String PEM_PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----";

    public boolean isEmpty() {
        return openPgp == null && cosign.isEmpty();
    }

    /** @throws IllegalArgumentException naming the first entry that is neither kind of key */
    public static VerifyKeys parse(List<String> keys) {
        return parse(keys, href -> {
            throw new IllegalArgumentException("trusted-key hrefs cannot be resolved here");
        });
    }

    /** @throws IllegalArgumentException naming the first entry that is neither kind of key (nor names one) */
    public static VerifyKeys parse(List<String> entries, UnaryOperator<String> hrefs) {
        List<String> keys = new ArrayList<>();
        for (String entry : entries) {
            keys.add(entry != null && entry.startsWith(TrustedKey.COLLECTION) ? hrefs.apply(entry) : entry);
        }
        List<byte[]> openPgp = new ArrayList<>();
        List<PublicKey> cosign = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            try {
                if (key != null && key.contains(PEM_PUBLIC_KEY)) {
                    cosign.add(CosignSignatures.parsePublicKey(key));
                } else {
                    byte[] armored = (key == null ? "" : key).getBytes(StandardCharsets.US_ASCII);
                    OpenPgpKeyring.of(armored); // fails fast, naming this entry
                    openPgp.add(armored);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry " + i + " is neither an armored OpenPGP public key nor a PEM "
                        + "public key: " + e.getMessage(), e);
            }
        }
        return new VerifyKeys(openPgp.isEmpty() ? null : OpenPgpKeyring.of(openPgp), List.copyOf(cosign));
    }
}
