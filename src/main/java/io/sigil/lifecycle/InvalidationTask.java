package io.sigil.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.Sql;
import io.sigil.repository.Hrefs;
import io.sigil.repository.Membership;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryVersion;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionWriter;
import io.sigil.tasks.TaskContext;
import io.sigil.tasks.TaskHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs an invalidation: for each repository whose latest version holds matching signatures, one transaction writes one
 * new version without them. A cosign {@code sha256-<hex>.sig} manifest whose layers are all removed leaves with its
 * tag; one that also carries other keys' layers is rebuilt without the removed ones and its tag moved to the new
 * manifest (see {@link SigAttachmentRebuild}), so pulling the tag no longer yields a revoked signature; the remaining
 * signature units stay (they sign the image, and their layer blobs are unchanged).
 *
 * <p>A signature referrer (an OCI manifest with a {@code subject}) leaves once none of the signatures it carries
 * stays; when only some of its layers are by the key, only those signature units go and the referrer stays unchanged:
 * its bytes are the uploader's (artifact type, annotations, a config that may describe the layers), which Sigil
 * cannot rewrite faithfully, so a client still receives the revoked layer there, which Sigil never reports as valid.
 */
@ApplicationScoped
public class InvalidationTask implements TaskHandler {

    @Inject
    ObjectMapper mapper;
    @Inject
    RevocationList revocations;
    @Inject
    VersionWriter writer;
    @Inject
    EntityManager em;
    @Inject
    SigAttachmentRebuild sigAttachments;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RepositoryOutcome(String repository, String name, String version, int removedSignatures, int removedManifests,
                                    int rebuiltAttachments) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Result(String reason, List<String> revokedKeys, List<RepositoryOutcome> repositories, long removedSignatures) {
    }

    @Override
    public String name() {
        return SignatureInvalidation.TASK;
    }

    @Override
    public Object run(TaskContext context) throws Exception {
        var p = mapper.treeToValue(context.parameters(), SignatureInvalidation.Parameters.class);
        if (!p.revocations().isEmpty()) {
            revocations.awaitIngestsInFlight();
        }
        InvalidationScope scope = new InvalidationScope(p);
        List<InvalidationScope.Holder> holders = QuarkusTransaction.requiringNew().call(() -> Sql.with(em, scope::holders));
        List<RepositoryOutcome> outcomes = new ArrayList<>();
        long removed = 0;
        for (InvalidationScope.Holder holder : holders) {
            context.checkCanceled();
            RepositoryOutcome outcome = QuarkusTransaction.requiringNew().call(() -> invalidateIn(holder, scope, context));
            if (outcome.version() != null) {
                outcomes.add(outcome);
                removed += outcome.removedSignatures();
            }
            context.progress("signatures.invalidate", "Invalidating signatures", outcomes.size(), (long) holders.size());
        }
        List<String> revoked = p.revocations().stream().map(id -> RevocationList.COLLECTION + id + "/").toList();
        return new Result(p.reason(), revoked, outcomes, removed);
    }

    /** One repository, one transaction, at most one version. */
    private RepositoryOutcome invalidateIn(InvalidationScope.Holder holder, InvalidationScope scope, TaskContext context) {
        if (Repository.findById(holder.id()) == null) {
            return new RepositoryOutcome(Hrefs.repository(holder.pulpId()), holder.name(), null, 0, 0, 0);
        }
        // Lock first, so a push cannot add a matching signature between the query and the new version.
        writer.lock(holder.id(), context);
        List<InvalidationScope.Candidate> matched = Sql.with(em, sql -> scope.matchesIn(sql, holder.id()));
        Set<Long> signatures = new HashSet<>();
        Set<Long> carriers = new HashSet<>();
        matched.forEach(c -> {
            signatures.add(c.id());
            if (c.carrierId() != null) {
                carriers.add(c.carrierId());
            }
        });
        SigAttachmentRebuild.Change sigs = sigAttachments.apply(holder.id(), matched);
        carriers.removeAll(sigs.examined());
        Set<Long> emptied = Sql.with(em, sql -> emptiedCarriers(sql, holder.id(), carriers, signatures));
        Set<Long> remove = new HashSet<>(signatures);
        remove.addAll(emptied);
        remove.addAll(sigs.removedManifests());
        Optional<RepositoryVersion> version = writer.write(holder.id(), new VersionChange(null, sigs.addedTags(), remove, false), context);
        return new RepositoryOutcome(Hrefs.repository(holder.pulpId()), holder.name(),
                version.map(v -> Hrefs.version(holder.pulpId(), v.number)).orElse(null), signatures.size(),
                emptied.size() + sigs.emptied(), sigs.rebuilt());
    }

    /**
     * Carrier manifests in the latest version none of whose signatures stays after removing {@code removed}; a carrier
     * that a kept manifest list names as a child stays (removing it would break the list).
     */
    private static Set<Long> emptiedCarriers(Sql sql, long repositoryId, Set<Long> carriers, Set<Long> removed) throws SQLException {
        if (carriers.isEmpty()) {
            return Set.of();
        }
        Membership latest = Membership.latest(sql, repositoryId);
        return new HashSet<>(sql.query("SELECT c.id FROM manifest c WHERE c.id = ANY(?) AND " + latest.member("c.id")
                        + " AND NOT EXISTS (SELECT 1 FROM signature s WHERE s.carrier_manifest_id = c.id AND NOT s.id = ANY(?) AND "
                        + latest.member("s.id") + ")"
                        + " AND NOT EXISTS (SELECT 1 FROM manifest_list_entry e WHERE e.child_id = c.id AND "
                        + latest.member("e.list_id") + ")",
                rs -> rs.getLong(1), sql.ids(carriers), sql.ids(removed)));
    }
}
