package io.sigil.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Keeps the token signing key in the database so every process signs and verifies with the same key and tokens
 * outlive restarts. The first process to start generates it; a racing process's insert does nothing, and both then
 * read the one stored row.
 */
@Singleton
class TokenKeyStore {

    private final DataSource dataSource;
    private volatile TokenSigningKey key;

    @Inject
    TokenKeyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Loads (or creates) the key at start-up so a broken database fails the start, not the first docker login. */
    void onStart(@Observes StartupEvent event) {
        current();
    }

    TokenSigningKey current() {
        TokenSigningKey loaded = key;
        if (loaded == null) {
            synchronized (this) {
                if (key == null) {
                    key = loadOrCreate();
                }
                loaded = key;
            }
        }
        return loaded;
    }

    private TokenSigningKey loadOrCreate() {
        try (Connection c = dataSource.getConnection()) {
            Optional<TokenSigningKey> stored = load(c);
            if (stored.isPresent()) {
                return stored.get();
            }
            TokenSigningKey fresh = TokenSigningKey.generate();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO registry_token_key (id, private_key, public_key) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING")) {
                insert.setBytes(1, fresh.privateDer());
                insert.setBytes(2, fresh.publicDer());
                insert.executeUpdate();
            }
            return load(c).orElseThrow(() -> new IllegalStateException("registry token key vanished after insert"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load the registry token key", e);
        }
    }

    private static Optional<TokenSigningKey> load(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT private_key, public_key FROM registry_token_key WHERE id = 1");
             ResultSet rs = select.executeQuery()) {
            return rs.next() ? Optional.of(TokenSigningKey.decode(rs.getBytes(1), rs.getBytes(2))) : Optional.empty();
        }
    }
}
