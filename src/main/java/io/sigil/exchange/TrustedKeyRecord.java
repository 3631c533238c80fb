package io.sigil.exchange;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A public key the exporting Sigil trusted (optional section {@code sigil/trusted-keys.json}). An import reports the
 * ones the importing Sigil does not trust, and never trusts them itself: trust is decided out of band, not by
 * whoever wrote an archive.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrustedKeyRecord(String name, String type, String fingerprint, String publicKey, String fulcioCa,
                               String rekorPublicKey, String oidcIssuer, String subject, String caRoots,
                               String caIntermediates, String subjectHostname) {
}
