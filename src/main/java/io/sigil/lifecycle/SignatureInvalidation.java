package io.sigil.lifecycle;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import io.sigil.repository.Hrefs;
import io.sigil.repository.Repository;
import io.sigil.storage.Digest;
import io.sigil.tasks.TaskDispatcher;
import io.sigil.tasks.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * Removes signatures by key, by repository or by manifest, as a task writing one new version per repository that held
 * any. A key given is put on the {@link RevocationList} before the task is queued, so ingests refuse it at once.
 */
@ApplicationScoped
public class SignatureInvalidation {

    public static final String TASK = "signatures.invalidate";

    @Inject
    RevocationList revocations;
    @Inject
    TaskDispatcher dispatcher;
    @Inject
    EntityManager em;

    /**
     * @param key          a fingerprint, a key ID, an armoured OpenPGP key or a PEM cosign key; optional when a scope is given
     * @param repositories repository hrefs; all repositories when null
     * @param manifests    digests of the signed manifests; any manifest when null
     */
    public record InvalidationRequest(String key, String reason, List<String> repositories, List<String> manifests) {
    }

    /** What the task needs; keys are already expanded to every subkey the revocation list knows. */
    record Parameters(List<UUID> revocations, List<String> keyIds, List<String> fingerprints, List<String> cosignKeys,
                      List<UUID> repositories, List<String> manifests, String reason) {
    }

    public TaskRef invalidate(InvalidationRequest request, String user) {
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            throw ApiException.field("reason", "a reason is required; it is recorded with the revocation and the task");
        }
        boolean keyGiven = request.key() != null && !request.key().isBlank();
        List<RevocationKey> keys = keyGiven ? RevocationKey.parse(request.key()) : List.of();
        List<UUID> repositories = repositories(request.repositories());
        List<String> manifests = digests(request.manifests());
        if (!keyGiven && repositories == null && manifests == null) {
            throw ApiException.field("key", "give a key, or a scope (repositories or manifests) to remove every signature in it");
        }
        List<RevocationList.RevokedKey> revoked = keys.stream().map(k -> revocations.revoke(k, request.reason().trim(), user)).toList();
        if (!revoked.isEmpty()) {
            revocations.reverify();
        }
        return dispatch(parameters(revoked, repositories, manifests, request.reason().trim()), user);
    }

    /**
     * Removes every signature by keys already on the list from every repository: an import lists the connected
     * zone's revocations, and what this Sigil held by those keys goes as it went there.
     */
    public TaskRef invalidateListed(List<UUID> revocationIds, String reason, String user) {
        List<RevocationList.RevokedKey> revoked = revocationIds.stream().map(revocations::get).toList();
        return dispatch(parameters(revoked, null, null, reason), user);
    }

    private TaskRef dispatch(Parameters parameters, String user) {
        InvalidationScope scope = new InvalidationScope(parameters);
        List<String> locks = QuarkusTransaction.requiringNew().call(() -> Sql.with(em, scope::holders)).stream()
                .map(h -> "repository:" + h.pulpId()).toList();
        return dispatcher.dispatch(TASK, parameters, locks, List.of(), user);
    }

    private static Parameters parameters(List<RevocationList.RevokedKey> revoked, List<UUID> repositories,
                                         List<String> manifests, String reason) {
        LinkedHashSet<String> keyIds = new LinkedHashSet<>(), fingerprints = new LinkedHashSet<>();
        List<String> cosignKeys = new ArrayList<>();
        for (RevocationList.RevokedKey key : revoked) {
            if (RevocationKey.COSIGN.equals(key.type())) {
                cosignKeys.add(key.publicKey());
            }
            for (RevocationKey.KeyName name : key.keys()) {
                keyIds.add(name.keyId());
                if (name.fingerprint() != null) {
                    fingerprints.add(name.fingerprint());
                }
            }
        }
        return new Parameters(revoked.stream().map(RevocationList.RevokedKey::id).toList(), List.copyOf(keyIds),
                List.copyOf(fingerprints), cosignKeys, repositories, manifests, reason);
    }

    private List<UUID> repositories(List<String> hrefs) {
        if (hrefs == null) {
            return null;
        }
        List<UUID> ids = new ArrayList<>();
        for (String href : hrefs) {
            UUID id = Hrefs.parseRepository(href);
            if (id == null || Repository.count("pulpId", id) == 0) {
                throw ApiException.field("repositories", "'" + href + "' is not the href of an existing repository");
            }
            ids.add(id);
        }
        return ids;
    }

    private static List<String> digests(List<String> digests) {
        return digests == null ? null : digests.stream().map(d -> Digest.parse(d).toString()).distinct().toList();
    }
}
