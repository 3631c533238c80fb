package io.sigil.registry;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.repository.Repository;
import io.sigil.signing.SignaturePolicy;
import io.sigil.signing.SignatureReports;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;

/**
 * What a distribution's signature policy blocks in the version it serves: for each tag, the decision a pull by that
 * tag gets, and for a list each child's as pulled by digest. Built on the signature report, so it agrees with it.
 */
@ApplicationScoped
public class PolicyReports {

    @Inject
    DistributionService distributions;
    @Inject
    SignatureReports reports;

    public record Entry(String tag, String reference, String digest, SignaturePolicy.Decision decision, List<Child> children) {
    }

    public record Child(String digest, SignaturePolicy.Decision decision) {
    }

    public record Report(long count, List<Entry> entries) {
    }

    private record Target(UUID repository, int number, String basePath, SignaturePolicy policy) {
    }

    /** @param host host[:port] the caller reached Sigil at: the policy's default identity is {@code host/basePath} */
    public Report report(UUID distributionId, String host, int limit, int offset) {
        Target target = QuarkusTransaction.requiringNew().call(() -> target(distributions.get(distributionId)));
        if (target == null) {
            return new Report(0, List.of());
        }
        SignaturePolicy policy = target.policy();
        String repository = policy == null ? host + "/" + target.basePath() : policy.repositoryFor(host, target.basePath());
        SignatureReports.Report report = reports.report(target.repository(), target.number(), repository, limit, offset);
        List<Entry> entries = report.tags().stream().map(tag -> new Entry(tag.tag(), tag.reference(), tag.manifest().digest(),
                judge(policy, tag.manifest(), repository, tag.tag()),
                tag.children().stream().map(c -> new Child(c.digest(), judge(policy, c, repository, null))).toList())).toList();
        return new Report(report.count(), entries);
    }

    private static SignaturePolicy.Decision judge(SignaturePolicy policy, SignatureReports.ManifestLine manifest,
                                                  String repository, String tag) {
        if (policy == null) {
            return SignaturePolicy.Decision.ALLOWED;
        }
        return policy.judge(manifest.digest(), repository, tag, manifest.signatures().stream()
                .map(s -> SignaturePolicy.Candidate.of(s.dockerReference(), s.verdict())).toList());
    }

    private Target target(Distribution d) {
        Repository repository = d.repositoryVersion != null ? d.repositoryVersion.repository : d.repository;
        if (repository == null) {
            return null;
        }
        int number = d.repositoryVersion != null ? d.repositoryVersion.number : repository.latestVersion;
        return new Target(repository.pulpId, number, d.basePath, distributions.policy(d));
    }
}
