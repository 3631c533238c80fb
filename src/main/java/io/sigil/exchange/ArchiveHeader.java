package io.sigil.exchange;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The first entry of every archive: what format it is in (read before anything else, so a later Sigil knows how to
 * read an older archive), who wrote it, and which sections it holds.
 *
 * @param full        false for an incremental archive (bytes of new units only)
 * @param ociLayout   whether {@code oci-layout}, {@code index.json} and the lookaside tree are present
 * @param sections    the metadata entries present, in order; later minor versions may add optional ones
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"format", "formatVersion"})
public record ArchiveHeader(String format, String formatVersion, String sigilVersion, String created, String exporter,
                            boolean full, boolean ociLayout, List<String> sections) {
}
