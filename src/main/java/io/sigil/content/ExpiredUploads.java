package io.sigil.content;

/**
 * Registry uploads left past the upload expiry, as orphan clean-up removes them. Declared here, as {@code RevokedKeys}
 * is, so that clean-up (lifecycle) does not depend on the registry, which keeps the uploads ({@code RegistryUploads}).
 */
public interface ExpiredUploads {

    /** Drops up to {@code limit} upload sessions started longer than the upload expiry ago; returns how many. */
    int dropExpiredSessions(int limit);

    /** Removes upload bytes no session names, last written longer than the upload expiry ago; returns how many. */
    int dropLeftoverUploads();

    /** Drops pending blob links older than the upload expiry (their blobs become ordinary orphans); returns how many. */
    int dropExpiredPendingLinks();
}
