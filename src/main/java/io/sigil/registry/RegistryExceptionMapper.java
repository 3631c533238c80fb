package io.sigil.registry;

import io.sigil.common.ApiException;
import io.sigil.common.DatabaseUnavailable;
import io.sigil.storage.StorageFull;
import io.sigil.content.ManifestInvalidException;
import io.sigil.content.ManifestTooLargeException;
import io.sigil.content.MissingContentException;
import io.sigil.storage.BlobNotFoundException;
import io.sigil.storage.DigestMismatchException;
import io.sigil.storage.InvalidDigestException;
import io.sigil.storage.UploadNotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place that writes registry errors. Only {@link RegistryException} reaches it globally (the Pulp API's mapper
 * never sees that type); the registry resources route every other exception through {@link #translate} in a
 * class-local mapper, so nothing under {@code /v2} or {@code /extensions/v2} leaves in the Pulp shape.
 */
public class RegistryExceptionMapper {

    private static final Logger LOG = Logger.getLogger(RegistryExceptionMapper.class);

    @ServerExceptionMapper
    public Response map(RegistryException e) {
        return toResponse(e);
    }

    public static Response toResponse(RegistryException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.error().code());
        error.put("message", e.getMessage());
        error.put("detail", e.detail() == null ? Map.of() : e.detail());
        Response.ResponseBuilder response = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("errors", List.of(error)));
        e.headers().forEach(response::header);
        return response.build();
    }

    /** The registry error for any exception a registry request may raise. */
    public static RegistryException translate(Throwable t) {
        if (t instanceof RegistryException e) {
            return e;
        }
        if (t instanceof InvalidDigestException || t instanceof DigestMismatchException) {
            return RegistryError.DIGEST_INVALID.with(t.getMessage());
        }
        if (t instanceof ManifestTooLargeException) {
            return RegistryError.MANIFEST_TOO_LARGE.with(t.getMessage());
        }
        if (t instanceof ManifestInvalidException) {
            return RegistryError.MANIFEST_INVALID.with(t.getMessage());
        }
        if (t instanceof MissingContentException e) {
            return RegistryError.MANIFEST_BLOB_UNKNOWN.with(e.getMessage(), Map.of("missing", e.missing()));
        }
        if (t instanceof UploadNotFoundException) {
            return RegistryError.BLOB_UPLOAD_UNKNOWN.with(t.getMessage());
        }
        if (t instanceof BlobNotFoundException) {
            return RegistryError.BLOB_UNKNOWN.with(t.getMessage());
        }
        if (t instanceof ApiException e) {
            // From a service shared with the Pulp API (the version writer's 409 when a kept manifest still needs what a
            // DELETE would remove, a repository's 400): its own status, with the spec code closest to it.
            return fromStatus(e.status(), e.getMessage(), e.body());
        }
        if (t instanceof WebApplicationException e) {
            return fromStatus(e.getResponse().getStatus(), e.getMessage(), null);
        }
        if (DatabaseUnavailable.causes(t)) {
            LOG.warnf("answered 503: the database is unavailable (%s)", t.getMessage());
            return RegistryError.UNAVAILABLE.with(DatabaseUnavailable.MESSAGE)
                    .header("Retry-After", Integer.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS));
        }
        if (StorageFull.causes(t)) {
            LOG.warnf("answered 507: %s", StorageFull.MESSAGE);
            return RegistryError.STORAGE_FULL.with(StorageFull.MESSAGE + "; an upload session is kept: resume it once space is freed");
        }
        LOG.error("unexpected registry error", t);
        return RegistryError.INTERNAL.with("internal error: " + t.getClass().getSimpleName());
    }

    /** The error for an HTTP status, answered with that very status (a 400 stays a 400, a 409 a 409). */
    static RegistryException fromStatus(int status, String message, Object detail) {
        RegistryError error = switch (status) {
            case 400 -> RegistryError.INVALID_REQUEST;
            case 401 -> RegistryError.UNAUTHORIZED;
            case 403 -> RegistryError.DENIED;
            case 404 -> RegistryError.NAME_UNKNOWN;
            case 405 -> RegistryError.UNSUPPORTED;
            case 409 -> RegistryError.CONFLICT;
            case 413 -> RegistryError.SIZE_INVALID;
            case 416 -> RegistryError.RANGE_INVALID;
            case 429 -> RegistryError.TOOMANYREQUESTS;
            default -> status >= 500 ? RegistryError.INTERNAL : RegistryError.INVALID_REQUEST;
        };
        return error.with(message, detail).status(status < 400 ? error.status() : status);
    }
}
