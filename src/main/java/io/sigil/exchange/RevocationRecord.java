package io.sigil.exchange;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.lifecycle.RevocationKey;
import io.sigil.lifecycle.RevocationList;
import java.util.List;

/**
 * An entry of the exporting Sigil's revocation list (format 1.1): which key, why, when and by whom. An import adds
 * it to its own list before ingesting any signature, so a key revoked in the connected zone is refused behind the
 * gap as well.
 *
 * @param note where the exporting Sigil got it, when it was itself imported; null otherwise
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RevocationRecord(String type, String identity, List<RevocationKey.KeyName> keys, String publicKey,
                               String reason, String revokedAt, String revokedBy, String note) {

    static RevocationRecord of(RevocationList.RevokedKey key) {
        return new RevocationRecord(key.type(), key.identity(), key.keys(), key.publicKey(), key.reason(),
                key.revokedAt().toString(), key.revokedBy(), key.note());
    }
}
