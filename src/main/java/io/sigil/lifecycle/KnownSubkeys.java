package io.sigil.lifecycle;

import io.sigil.common.Sql;
import java.sql.SQLException;
import java.util.List;

/**
 * The keys Sigil already knows to belong to an OpenPGP key named only by fingerprint or key ID, so that revoking a
 * primary key also covers signatures its subkeys made.
 */
final class KnownSubkeys {

    private KnownSubkeys() {
    }

    /** Keys of the primary key {@code identity} (fingerprint or key ID) recorded by trusted keys or earlier revocations. */
    static List<RevocationKey.KeyName> of(Sql sql, String identity) throws SQLException {
        String keyId = identity.substring(identity.length() - 16);
        return sql.query("""
                SELECT s.key_id, s.fingerprint FROM trusted_key k JOIN trusted_subkey s ON s.trusted_key_id = k.id
                WHERE k.type = 'openpgp' AND (k.fingerprint = ? OR right(k.fingerprint, 16) = ?)
                UNION
                SELECT s.key_id, s.fingerprint FROM revoked_key k JOIN revoked_subkey s ON s.revoked_key_id = k.id
                WHERE k.type = 'openpgp' AND (k.identity = ? OR right(k.identity, 16) = ?)""",
                rs -> new RevocationKey.KeyName(rs.getString(1), rs.getString(2)), identity, keyId, identity, keyId);
    }
}
