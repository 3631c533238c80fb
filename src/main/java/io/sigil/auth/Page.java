package io.sigil.auth;

import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** One page of a list, in DRF's LimitOffsetPagination shape; next/previous are absolute URLs or null. */
record Page<T>(long count, String next, String previous, List<T> results) {

    static <T> Page<T> of(List<T> results, long count, int limit, int offset, UriInfo uri) {
        String next = offset + limit < count ? link(uri, limit, offset + limit) : null;
        String previous = offset <= 0 ? null : link(uri, limit, Math.max(0, offset - limit));
        return new Page<>(count, next, previous, results);
    }

    private static String link(UriInfo uri, int limit, int offset) {
        var builder = uri.getRequestUriBuilder().replaceQueryParam("limit", limit);
        // Like DRF, the first page's link carries no offset.
        builder = offset == 0 ? builder.replaceQueryParam("offset") : builder.replaceQueryParam("offset", offset);
        return builder.build().toString();
    }
}
