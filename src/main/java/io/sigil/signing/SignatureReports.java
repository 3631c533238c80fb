package io.sigil.signing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.signature.DockerReference;
import io.sigil.signature.IdentityRule;
import io.sigil.signature.SignatureVerifier;
import io.sigil.signature.StoredVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * For each tag of a repository version: its manifest (and a list's children), their signatures, each with its
 * verdict and how its signed identity relates to the tag: {@link Match#EXACT} names this repository and tag,
 * {@link Match#REPOSITORY} the same repository with another tag or none (a possible rollback), {@link Match#OTHER}
 * anything else.
 */
@ApplicationScoped
public class SignatureReports {

    @Inject
    RepositoryService repositories;
    @Inject
    SignatureVerifier verifier;
    @Inject
    EntityManager em;

    public enum Match { EXACT, REPOSITORY, OTHER }

    public record SignatureLine(UUID signature, String type, String dockerReference, StoredVerdict verdict,
                                Match match) {
    }

    public record ManifestLine(UUID manifest, String digest, List<SignatureLine> signatures) {
    }

    public record TagLine(String tag, String reference, ManifestLine manifest, List<ManifestLine> children) {
    }

    public record Report(long count, List<TagLine> tags) {
    }

    /** @param reference the repository as clients pull it (host/path); null for the repository's name */
    public Report report(UUID repositoryId, int number, String reference, int limit, int offset) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Repository repository = repositories.get(repositoryId);
            repositories.version(repositoryId, number);
            String base = reference == null || reference.isBlank() ? repository.name : reference.trim();
            try {
                DockerReference.parseNormalized(base);
            } catch (IllegalArgumentException e) {
                throw ApiException.field("reference", e.getMessage());
            }
            return Sql.with(em, sql -> build(new VersionQueries(sql, repository.id, number), base, limit, offset));
        });
    }

    private Report build(VersionQueries version, String reference, int limit, int offset) throws SQLException {
        List<VersionQueries.TaggedManifest> tags = version.tags(null, limit, offset);
        Set<Long> lists = new HashSet<>();
        tags.stream().filter(t -> "index".equals(t.kind())).forEach(t -> lists.add(t.manifestId()));
        Map<Long, List<VersionQueries.Child>> children = new HashMap<>();
        for (VersionQueries.Child child : lists.isEmpty() ? List.<VersionQueries.Child>of() : version.childrenOf(lists)) {
            children.computeIfAbsent(child.listId(), k -> new ArrayList<>()).add(child);
        }
        Set<Long> manifests = new HashSet<>();
        tags.forEach(t -> manifests.add(t.manifestId()));
        children.values().forEach(cs -> cs.forEach(c -> manifests.add(c.manifestId())));
        Map<Long, List<VersionQueries.HeldSignature>> signatures = new HashMap<>();
        for (VersionQueries.HeldSignature s : version.signaturesOf(manifests, null)) {
            signatures.computeIfAbsent(s.manifestId(), k -> new ArrayList<>()).add(s);
        }
        Map<Long, StoredVerdict> verdicts = verifier.verdicts(signatures.values().stream().flatMap(List::stream)
                .map(VersionQueries.HeldSignature::id).toList());
        Set<Long> units = new HashSet<>(manifests);
        signatures.values().forEach(ss -> ss.forEach(s -> units.add(s.id())));
        Map<Long, UUID> hrefIds = version.pulpIds(units);
        List<TagLine> lines = new ArrayList<>();
        for (VersionQueries.TaggedManifest tag : tags) {
            String tagReference = reference + ":" + tag.tag();
            Lines make = (id, digest) -> new ManifestLine(hrefIds.get(id), digest, signatures.getOrDefault(id, List.of()).stream()
                    .map(s -> new SignatureLine(hrefIds.get(s.id()), s.type(), s.dockerReference(), verdicts.get(s.id()),
                            match(s.dockerReference(), reference, tagReference))).toList());
            lines.add(new TagLine(tag.tag(), tagReference, make.line(tag.manifestId(), tag.digest()),
                    children.getOrDefault(tag.manifestId(), List.of()).stream().map(c -> make.line(c.manifestId(), c.digest())).toList()));
        }
        return new Report(version.countTags(), lines);
    }

    @FunctionalInterface
    private interface Lines {
        ManifestLine line(long manifestId, String digest);
    }

    static Match match(String signedReference, String repository, String tagReference) {
        if (signedReference == null) {
            return Match.OTHER;
        }
        if (IdentityRule.identityMatches(signedReference, tagReference, IdentityRule.matchExact())) {
            return Match.EXACT;
        }
        return IdentityRule.identityMatches(signedReference, repository, IdentityRule.matchRepository())
                ? Match.REPOSITORY : Match.OTHER;
    }
}
