package io.sigil.signing;

import io.sigil.signature.DockerReference;
import io.sigil.signature.IdentityRule;
import io.sigil.signature.StoredVerdict;
import io.sigil.signature.Verdict;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A distribution's signature requirement: a manifest may be pulled only with a valid signature (stored verdict valid,
 * key not revoked) by one of {@code keys}; with {@code exact}, that signature must also name the image as pulled
 * ({@code <repository>:<tag>}; pulled by digest, any tag of the repository), as containers/image's
 * {@code matchRepoDigestOrExact} checks it. Each manifest is judged on its own signatures: a list passes only when it
 * is itself signed, which is what skopeo and podman check.
 *
 * @param keys      identities of the trusted keys a signature must be by (the verdicts' {@code key_identity})
 * @param exact     whether the signed docker-reference must name the pulled repository and tag
 * @param reference the repository the identity is checked against; null for the one the client pulls from
 */
public record SignaturePolicy(Set<String> keys, boolean exact, String reference) {

    /** Why a manifest is blocked; the order is the order of precedence when several apply. */
    public enum Reason { IDENTITY_MISMATCH, OTHER_KEYS, INVALID, UNSIGNED }

    /** What a pull of a manifest gets: allowed ({@code reason} null) or blocked, with a message saying why. */
    public record Decision(Reason reason, String message) {
        public static final Decision ALLOWED = new Decision(null, null);

        public boolean allowed() {
            return reason == null;
        }
    }

    /**
     * One signature of the manifest as the policy sees it.
     *
     * @param state    null when it was never verified
     * @param revoked  whether its key has been revoked since the verdict was stored
     */
    public record Candidate(String dockerReference, Verdict.State state, String keyIdentity, String reason, boolean revoked) {

        public static Candidate of(String dockerReference, StoredVerdict verdict) {
            return verdict == null ? new Candidate(dockerReference, null, null, "never verified", false)
                    : new Candidate(dockerReference, verdict.state(), verdict.keyIdentity(), verdict.reason(), false);
        }

        boolean valid() {
            return state == Verdict.State.VALID && !revoked;
        }
    }

    /** @throws IllegalArgumentException unless {@code reference} names a repository, without tag or digest */
    public static void requireRepositoryReference(String reference) {
        if (!DockerReference.parseNormalized(reference).isNameOnly()) {
            throw new IllegalArgumentException("'" + reference + "' names a tag or digest; give the repository only");
        }
    }

    /** The repository signatures are checked against: the configured one, else {@code host/basePath}. */
    public String repositoryFor(String host, String basePath) {
        return reference != null ? reference : host + "/" + basePath;
    }

    /**
     * @param repository as {@link #repositoryFor} gives it
     * @param tag        the tag pulled; null for a pull by digest
     */
    public Decision judge(String digest, String repository, String tag, List<Candidate> signatures) {
        if (keys.isEmpty()) {
            return new Decision(Reason.OTHER_KEYS, "the signature policy names no trusted key any more (its keys were "
                    + "deleted), so no signature of manifest " + digest + " can satisfy it");
        }
        List<Candidate> byPolicyKeys = signatures.stream().filter(s -> s.valid() && keys.contains(s.keyIdentity())).toList();
        if (byPolicyKeys.stream().anyMatch(s -> identityAccepted(s.dockerReference(), repository, tag))) {
            return Decision.ALLOWED;
        }
        String pulled = tag == null ? repository + "@" + digest : repository + ":" + tag;
        if (!byPolicyKeys.isEmpty()) {
            return new Decision(Reason.IDENTITY_MISMATCH, "manifest " + digest + " is signed by the policy's keys only for "
                    + distinct(byPolicyKeys.stream().map(Candidate::dockerReference).toList()) + ", not for " + pulled
                    + (tag == null ? " (a signature must name this repository)" : " (exact identity is required)"));
        }
        List<Candidate> validByOthers = signatures.stream().filter(Candidate::valid).toList();
        if (!validByOthers.isEmpty()) {
            return new Decision(Reason.OTHER_KEYS, "manifest " + digest + " is signed only by keys the signature policy does not "
                    + "name: " + distinct(validByOthers.stream().map(Candidate::keyIdentity).toList()));
        }
        if (signatures.stream().anyMatch(s -> s.state() == Verdict.State.UNKNOWN_KEY)) {
            return new Decision(Reason.OTHER_KEYS, "manifest " + digest + " is signed only by keys Sigil does not trust");
        }
        if (!signatures.isEmpty()) {
            Candidate first = signatures.get(0);
            return new Decision(Reason.INVALID, "manifest " + digest + " has no valid signature: "
                    + (first.revoked() ? "the key " + first.keyIdentity() + " is revoked" : first.reason()));
        }
        return new Decision(Reason.UNSIGNED, "manifest " + digest + " has no signature; the signature policy requires "
                + "one by " + (keys.size() == 1 ? "the key " : "one of the keys ") + String.join(", ", keys));
    }

    private boolean identityAccepted(String signedReference, String repository, String tag) {
        if (!exact) {
            return true;
        }
        return tag == null ? IdentityRule.identityMatches(signedReference, repository, IdentityRule.matchRepository())
                : IdentityRule.identityMatches(signedReference, repository + ":" + tag, IdentityRule.matchExact());
    }

    private static String distinct(List<String> values) {
        return String.join(", ", new LinkedHashSet<>(values));
    }
}
