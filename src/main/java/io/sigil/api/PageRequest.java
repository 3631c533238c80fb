package io.sigil.api;

import io.sigil.common.ApiException;

/**
 * The {@code limit}/{@code offset} of a list call. Absent values take the defaults; a value that is not a whole number
 * in range is refused with a 400 naming the parameter (silently serving another page than the one asked for would
 * hide a client's bug).
 */
public record PageRequest(int limit, int offset) {

    public static final int DEFAULT_LIMIT = 100;
    /** pulp-glue lists in batches of 1000. */
    public static final int MAX_LIMIT = 1000;

    public static PageRequest of(String limit, String offset) {
        return new PageRequest(parse("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT), parse("offset", offset, 0, 0, Integer.MAX_VALUE));
    }

    private static int parse(String name, String value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.field(name, "A valid integer is required.");
        }
        if (parsed < min || parsed > max) {
            throw ApiException.field(name, "Must be between " + min + " and " + max + ".");
        }
        return (int) parsed;
    }
}
