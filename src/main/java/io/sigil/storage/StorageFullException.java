package io.sigil.storage;

import java.io.IOException;

/** The blob storage has no room left (ENOSPC, a quota): the write was undone and may be retried once space is freed. */
public class StorageFullException extends IOException {

    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code e} is the operating system saying the disk or the quota is full. */
    static boolean isNoSpace(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("No space left on device") || message.contains("Disk quota exceeded");
    }
}
