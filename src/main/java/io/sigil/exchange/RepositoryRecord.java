package io.sigil.exchange;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** One exported repository version and every unit it holds, named by natural keys that resolve on any instance. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RepositoryRecord(String name, String description, int version, List<String> blobs, List<String> manifests,
                               List<TagRecord> tags, List<SignatureKey> signatures) {

    /** A signature is identified by the manifest it signs and the sha256 of its bytes. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SignatureKey(String signedDigest, String digest) {
    }
}
