package io.sigil.exchange;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The {@code …-toc.json} written next to an archive: its format version, the chunk files (read in this order as one
 * stream) and every entry of the tar, each with its size and sha256. An import checks every chunk against it before
 * changing anything, and every entry while it streams.
 *
 * @param chunkSize the maximum chunk size, or null for a single file
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"format", "formatVersion"})
public record TableOfContents(String format, String formatVersion, String created, Long chunkSize, List<Chunk> chunks,
                              List<Entry> entries) {

    public record Chunk(String file, long size, String sha256) {
    }

    public record Entry(String path, long size, String sha256) {
    }
}
