package io.sigil.sync;

import io.sigil.signature.CosignSignatures;
import io.sigil.signature.CosignTrust;
import io.sigil.signature.OpenPgpKeyring;
import io.sigil.signature.TrustedKey;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A remote's {@code verify_with}: armored OpenPGP keys for atomic signatures and PEM public keys for cosign ones, given
 * inline, and hrefs of trusted keys of any type (resolved by {@code hrefs}), whose whole trust applies: a cosign key's
 * Rekor log, keyless Fulcio CA + Rekor + OIDC identity, PKI CAs and subject.
 */
public record VerifyKeys(OpenPgpKeyring openPgp, CosignTrust cosign) {

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

    /** @throws IllegalArgumentException naming the first entry that is neither kind of key (nor names a trusted key) */
    public static VerifyKeys parse(List<String> entries, Function<String, TrustedKey> hrefs) {
        List<byte[]> openPgp = new ArrayList<>();
        List<PublicKey> cosignKeys = new ArrayList<>();
        List<TrustedKey> trusted = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            if (entry != null && entry.startsWith(TrustedKey.COLLECTION)) {
                TrustedKey key = hrefs.apply(entry);
                if (key.type().equals(TrustedKey.OPENPGP)) {
                    openPgp.add(key.publicKey().getBytes(StandardCharsets.US_ASCII));
                } else {
                    trusted.add(key);
                }
                continue;
            }
            try {
                if (entry != null && entry.contains(PEM_PUBLIC_KEY)) {
                    cosignKeys.add(CosignSignatures.parsePublicKey(entry));
                } else {
                    byte[] armored = (entry == null ? "" : entry).getBytes(StandardCharsets.US_ASCII);
                    OpenPgpKeyring.of(armored); // fails fast, naming this entry
                    openPgp.add(armored);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry " + i + " is neither an armored OpenPGP public key nor a PEM "
                        + "public key: " + e.getMessage(), e);
            }
        }
        return new VerifyKeys(openPgp.isEmpty() ? null : OpenPgpKeyring.of(openPgp),
                CosignTrust.ofKeys(cosignKeys).plus(CosignTrust.of(trusted)));
    }
}
