/**
 * Parsing and verification of image signatures: atomic ("simple signing", OpenPGP) and cosign (sigstore, key-based).
 *
 * <p>Everything read from a signature before its cryptography and its claims have been checked is named
 * {@code Untrusted…}. Verification answers with a {@link io.sigil.signing.Verdict} rather than an exception, so that
 * callers can gather the reasons of every rejected signature, as containers/image does; "one valid signature is
 * enough" is a decision for the caller.
 *
 * <p>The behaviour mirrors containers/image (the oracle is the upstream fixture set); see
 * {@code docs/signature-formats.md} §1 and §4.
 */
package io.sigil.signing;
