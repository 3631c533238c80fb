package io.sigil.sync;

import io.sigil.content.NewSignature;
import io.sigil.signature.AtomicSignatures;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.IdentityRule;
import io.sigil.signature.InvalidSignatureException;
import io.sigil.signature.RevokedKeys;
import io.sigil.signature.SignatureIngest;
import io.sigil.signature.Verdict;
import io.sigil.storage.Digest;
import java.util.Optional;

/**
 * Checks a found signature before anything is stored: it must be well-formed and for this manifest (else it is bad
 * and skipped), then gets a verdict against the remote's {@code verify_with} keys, with the signed identity checked
 * against the upstream's own reference. Invalid verdicts and signatures by revoked keys are skipped too; unverifiable
 * ones are kept.
 */
final class SignatureChecker {

    /**
     * The outcome for one signature: {@code problem} is null for a kept signature, whose {@code unit} (parsed here, on
     * the sync's threads) is what the writer stores.
     */
    record Checked(Digest manifest, FoundSignature found, Verdict verdict, String problem, NewSignature unit) {
        boolean kept() {
            return problem == null;
        }
    }

    private final VerifyKeys keys;
    private final String repository;
    /** Read once per sync; a key revoked meanwhile is caught when the signatures are stored. */
    private final RevokedKeys.Snapshot revokedKeys;

    SignatureChecker(RemoteSettings remote, RevokedKeys revokedKeys) {
        this.revokedKeys = revokedKeys.snapshot();
        this.keys = remote.verifyKeys();
        this.repository = remote.referenceHost() + "/" + remote.upstreamName();
    }

    Checked check(Digest manifest, FoundSignature found) {
        try {
            return found.atomic() != null ? atomic(manifest, found) : cosign(manifest, found);
        } catch (InvalidSignatureException e) {
            return new Checked(manifest, found, null, e.getMessage(), null);
        }
    }

    private Checked atomic(Digest manifest, FoundSignature found) {
        NewSignature unit = SignatureIngest.atomicUnit(manifest.toString(), found.atomic());
        requireNotRevoked(revokedKeys.revocationOf(SignatureIngest.ATOMIC, unit.keyId(), unit.fingerprint(), found.atomic()));
        Verdict verdict = keys.openPgp() == null
                ? unverifiable("verify_with has no OpenPGP key")
                : AtomicSignatures.verify(found.atomic(), keys.openPgp(), manifest.toString());
        return withVerdict(manifest, found, unit,
                verdict.requireIdentity(reference(manifest), IdentityRule.matchRepoDigestOrExact()));
    }

    /** cosign signs the repository without a tag, so its identity is checked by repository (§4). */
    private Checked cosign(Digest manifest, FoundSignature found) {
        NewSignature unit = SignatureIngest.cosignUnit(manifest.toString(), found.cosign(), null,
                found.carrier() == null ? null : found.carrier().toString());
        requireNotRevoked(revokedKeys.revocationOf(SignatureIngest.COSIGN, null, null, unit.data()));
        Verdict verdict = keys.cosign().isEmpty()
                ? unverifiable("verify_with has no cosign public key, keyless or pki trusted key")
                : CosignSignatures.verify(found.cosign(), keys.cosign(), manifest.toString());
        return withVerdict(manifest, found, unit, verdict.requireIdentity(reference(manifest), IdentityRule.matchRepository()));
    }

    private static void requireNotRevoked(Optional<RevokedKeys.Revocation> revocation) {
        revocation.ifPresent(r -> {
            throw new InvalidSignatureException("signed by revoked key " + r.identity() + " (" + r.reason() + ")");
        });
    }

    private static Checked withVerdict(Digest manifest, FoundSignature found, NewSignature unit, Verdict verdict) {
        String problem = verdict.state() == Verdict.State.INVALID ? verdict.reason() : null;
        return new Checked(manifest, found, verdict, problem, unit);
    }

    private String reference(Digest manifest) {
        return repository + "@" + manifest;
    }

    private static Verdict unverifiable(String reason) {
        return new Verdict(Verdict.State.UNKNOWN_KEY, null, reason, null);
    }
}
