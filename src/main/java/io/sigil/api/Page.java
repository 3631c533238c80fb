package io.sigil.api;

import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * One page of a list endpoint in Pulp's shape. {@code next} and {@code previous} are absolute links to the same
 * request with only {@code limit} and {@code offset} changed, so filters carry over.
 */
public record Page<T>(long count, String next, String previous, List<T> results) {

    public static <T> Page<T> of(UriInfo uri, PageRequest request, long count, List<T> results) {
        return new Page<>(count, next(uri, request, count), previous(uri, request), results);
    }

    private static String next(UriInfo uri, PageRequest request, long count) {
        long offset = (long) request.offset() + request.limit();
        if (offset >= count) {
            return null;
        }
        return link(uri, request).replaceQueryParam("offset", offset).build().toString();
    }

    private static String previous(UriInfo uri, PageRequest request) {
        if (request.offset() <= 0) {
            return null;
        }
        int offset = request.offset() - request.limit();
        UriBuilder link = link(uri, request);
        // Like DRF, the link back to the first page carries no offset at all.
        return (offset > 0 ? link.replaceQueryParam("offset", offset) : link.replaceQueryParam("offset")).build().toString();
    }

    private static UriBuilder link(UriInfo uri, PageRequest request) {
        return uri.getRequestUriBuilder().replaceQueryParam("limit", request.limit());
    }
}
