package io.sigil.storage;

public class UploadNotFoundException extends java.io.IOException {
    public UploadNotFoundException(String id) {
        super("upload " + id + " is unknown");
    }
}
