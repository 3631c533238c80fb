package io.sigil.signature;

/** A signature made by a key on the revocation list; refused on push, skipped on sync and import. */
public class RevokedKeyException extends InvalidSignatureException {

    private final transient RevokedKeys.Revocation revocation;

    public RevokedKeyException(RevokedKeys.Revocation revocation) {
        super("the signing key " + revocation.identity() + " is revoked: " + revocation.reason());
        this.revocation = revocation;
    }

    public RevokedKeys.Revocation revocation() {
        return revocation;
    }
}
