package io.sigil.exchange;

import io.sigil.common.ApiException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses a chunk size as Pulp does: a number of bytes, or with a decimal unit ("100MB", "1GB"); above 0, up to 1 TB. */
final class ChunkSize {

    private static final Pattern SIZE = Pattern.compile("\\s*(\\d{1,15})\\s*([KMGT]?B)?\\s*");
    private static final Map<String, Long> UNITS = Map.of("B", 1L, "KB", 1_000L, "MB", 1_000_000L, "GB", 1_000_000_000L,
            "TB", 1_000_000_000_000L);
    static final long MAX = 1_000_000_000_000L;

    private ChunkSize() {
    }

    /** Bytes, or null when no size is given (one file). */
    static Long parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SIZE.matcher(text.toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw ApiException.field("chunk_size", "'" + text + "' is not a size such as 1000000, \"100MB\" or \"1GB\"");
        }
        long bytes = Math.multiplyExact(Long.parseLong(m.group(1)), UNITS.get(m.group(2) == null ? "B" : m.group(2)));
        if (bytes <= 0 || bytes > MAX) {
            throw ApiException.field("chunk_size", "must be more than 0 and at most 1TB");
        }
        return bytes;
    }
}
