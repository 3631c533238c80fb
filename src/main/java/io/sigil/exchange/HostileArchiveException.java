package io.sigil.exchange;

/** An archive that is damaged, lies about itself, or tries to escape: it is refused, and nothing is imported. */
public class HostileArchiveException extends RuntimeException {

    public HostileArchiveException(String message) {
        super(message);
    }
}
