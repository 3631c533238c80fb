/**
 * Image signature formats, their parsing and their verification: atomic ("simple signing", OpenPGP) and cosign
 * (sigstore: key-based, keyless with Fulcio certificates and Rekor SETs, PKI), DSSE/in-toto attestations, Notary
 * Project envelopes (JWS, COSE) and Sigstore bundles, identity rules, docker references,
 * trusted keys and verdicts. It stands below repositories (it may use storage, common, content, tasks and auth only);
 * signing services, the sign task and the pull gate live above, in {@link io.sigil.signing}.
 *
 * <p>Everything read from a signature before its cryptography and its claims have been checked is named
 * {@code Untrusted…}. Verification answers with a {@link io.sigil.signature.Verdict} rather than an exception, so that
 * callers can gather the reasons of every rejected signature, as containers/image does; "one valid signature is
 * enough" is a decision for the caller.
 *
 * <p>The behaviour mirrors containers/image (the oracle is the upstream fixture set); see
 * {@code docs/signature-formats.md} §1 and §4.
 */
package io.sigil.signature;
