package io.sigil.signing;

/** Signs one manifest for one docker reference. Implementations are safe to call from several threads. */
interface Signer {

    /**
     * @return for atomic services a complete OpenPGP signed message; for cosign services one signature layer in
     *         containers/image's storage form ({@link CosignSignatures#toStorageForm})
     */
    byte[] sign(byte[] manifest, String manifestDigest, String dockerReference) throws Exception;
}
