package io.sigil.storage;

/** Finds a {@link StorageFullException} among an exception's causes, for the answer 507 Insufficient Storage. */
public final class StorageFull {

    private StorageFull() {
    }

    /** What to tell the client; names the storage, never a path. */
    public static final String MESSAGE = "storage is full: the blob storage has no room left for this write";

    public static boolean causes(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StorageFullException) {
                return true;
            }
        }
        return false;
    }
}
