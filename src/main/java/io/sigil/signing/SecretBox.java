package io.sigil.signing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Seals server-side secrets (signing-service keys and passphrases, remote passwords) with AES-256-GCM under a key derived from the server secret: {@code sigil.secret}
 * when configured, else a random secret generated once and kept in the database (which then protects the keys only
 * as well as the database itself does). Each sealed value is bound to a context (the service id and field), so a
 * sealed value copied to another row or column does not open.
 */
@ApplicationScoped
public class SecretBox {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    @ConfigProperty(name = "sigil.secret")
    Optional<String> configuredSecret;
    @Inject
    EntityManager em;

    private volatile SecretKey key;

    public byte[] seal(byte[] plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }

    /** @throws IllegalStateException if the value was sealed under another secret or context, or was altered */
    public byte[] open(byte[] sealed, String context) {
        try {
            return cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, NONCE_BYTES), context)
                    .doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open a sealed secret: was sigil.secret changed?", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private SecretKey key() throws GeneralSecurityException {
        SecretKey known = key;
        if (known == null) {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(serverSecret(), "HmacSHA256"));
            known = new SecretKeySpec(hmac.doFinal("sigil signing-service key v1".getBytes(StandardCharsets.US_ASCII)), "AES");
            key = known;
        }
        return known;
    }

    private byte[] serverSecret() {
        if (configuredSecret.isPresent() && !configuredSecret.get().isBlank()) {
            return configuredSecret.get().getBytes(StandardCharsets.UTF_8);
        }
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        return QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> {
            sql.update("INSERT INTO server_secret (name, secret) VALUES ('signing', ?) ON CONFLICT DO NOTHING", fresh);
            return sql.query("SELECT secret FROM server_secret WHERE name = 'signing'", rs -> rs.getBytes(1)).get(0);
        }));
    }
}
