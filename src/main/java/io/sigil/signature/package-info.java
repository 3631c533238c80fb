/**
 * Signature formats, parsing and verification that need no service: DSSE envelopes and in-toto Statements
 * (attestations), Notary Project envelopes (JWS and COSE). May import only storage, common, content, tasks and auth;
 * the services that store verdicts live in {@code io.sigil.signing}.
 */
package io.sigil.signature;
