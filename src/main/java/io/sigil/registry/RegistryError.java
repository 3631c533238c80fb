package io.sigil.registry;

/**
 * The error codes of the OCI distribution spec (plus the signature extension's and distribution's TAG_INVALID), each
 * with its HTTP status and default message. The one table of registry errors; {@link RegistryExceptionMapper} writes
 * them as {@code {"errors":[{"code","message","detail"}]}}.
 */
public enum RegistryError {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    TAG_INVALID(400, "manifest tag did not match URI"),
    PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),
    RANGE_INVALID(416, "invalid content range"),
    MANIFEST_TOO_LARGE(413, "manifest is larger than the registry accepts"),
    SIGNATURE_INVALID(400, "invalid signature"),
    SIGNATURE_TOO_LARGE(413, "signature is larger than the registry accepts"),
    SIGNATURE_EXISTS(409, "signature already exists"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(405, "the operation is unsupported"),
    /** A request the registry cannot act on as sent (a Pulp-side 400): the conformance suite expects UNSUPPORTED. */
    INVALID_REQUEST(400, "the request is invalid"),
    /** Refused because of what the repository holds (e.g. a kept manifest needs the blob): no spec code fits better. */
    CONFLICT(409, "the request conflicts with the repository's content"),
    TOOMANYREQUESTS(429, "too many requests"),
    UNAVAILABLE(503, "service unavailable"),
    STORAGE_FULL(507, "the registry's storage is full"),
    INTERNAL(500, "internal error");

    private final int status;
    private final String message;

    RegistryError(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }

    /**
     * The spec's code; INTERNAL, INVALID_REQUEST, CONFLICT and the *_TOO_LARGE codes are not spec codes (SIGNATURE_EXISTS
     * is OpenShift's, PAGINATION_NUMBER_INVALID distribution's), so they go out as the closest one.
     */
    public String code() {
        return switch (this) {
            case INTERNAL, STORAGE_FULL -> "UNKNOWN";
            case MANIFEST_TOO_LARGE, SIGNATURE_TOO_LARGE -> "SIZE_INVALID";
            case RANGE_INVALID -> "BLOB_UPLOAD_INVALID";
            case INVALID_REQUEST -> "UNSUPPORTED";
            case CONFLICT -> "DENIED";
            default -> name();
        };
    }

    public RegistryException with(String message) {
        return new RegistryException(this, message, null);
    }

    public RegistryException with(String message, Object detail) {
        return new RegistryException(this, message, detail);
    }
}
