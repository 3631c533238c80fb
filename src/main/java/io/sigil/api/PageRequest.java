package io.sigil.api;

/**
 * The {@code limit}/{@code offset} of a list call. Parsed as Django REST framework does, which Pulp clients expect:
 * a missing or invalid value falls back to the default rather than failing, and the limit is capped.
 */
public record PageRequest(int limit, int offset) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static PageRequest of(String limit, String offset) {
        int parsedLimit = parse(limit, DEFAULT_LIMIT);
        return new PageRequest(parsedLimit > 0 ? Math.min(parsedLimit, MAX_LIMIT) : DEFAULT_LIMIT,
                Math.max(0, parse(offset, 0)));
    }

    private static int parse(String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
