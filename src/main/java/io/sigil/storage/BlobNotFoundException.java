package io.sigil.storage;

public class BlobNotFoundException extends java.io.IOException {
    public BlobNotFoundException(Digest digest) {
        super("blob " + digest + " is not in storage");
    }
}
