package io.sigil.exchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.Sql;
import io.sigil.lifecycle.RevocationList;
import io.sigil.repository.ContentBrowser;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryVersion;
import io.sigil.signature.SignatureVerifier;
import io.sigil.signature.TrustedKey;
import io.sigil.signature.TrustedKeys;
import io.sigil.tasks.TaskContext;
import io.sigil.tasks.TaskHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes one export: reads the records of the chosen versions in one transaction, streams the archive outside any
 * transaction, then records the export (and makes it the base of the next incremental one). On any failure every
 * file written is deleted and nothing is recorded.
 */
@ApplicationScoped
public class ExportTask implements TaskHandler {

    public static final String NAME = "exchange.export";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmm").withZone(ZoneOffset.UTC);

    @Inject
    EntityManager em;
    @Inject
    ObjectMapper mapper;
    @Inject
    ContentBrowser browser;
    @Inject
    ExchangePaths paths;
    @Inject
    ArchiveComposer composer;
    @Inject
    SignatureVerifier verifier;
    @Inject
    TrustedKeys trustedKeys;
    @Inject
    RevocationList revocationList;

    /** {@code versions}: repository id → version number; repositories of the exporter not named export their latest. */
    record Parameters(UUID exporter, UUID export, Map<UUID, Integer> versions, Long chunkSize, boolean full,
                      boolean ociLayout, Map<String, Object> request) {
    }

    record VersionPlan(long repositoryId, String name, String description, int number, Set<Long> unitIds) {
    }

    record Plan(String exporterName, String path, List<VersionPlan> versions, ExportContent content,
                List<TrustedKeyRecord> trustedKeys, List<RevocationRecord> revocations) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Object run(TaskContext context) throws Exception {
        Parameters p = mapper.treeToValue(context.parameters(), Parameters.class);
        Plan plan = QuarkusTransaction.requiringNew().call(() -> plan(p));
        Path directory = paths.exportDirectory(plan.path());
        Instant created = Instant.now();
        String base = "export-" + p.export() + "-" + STAMP.format(created);
        try (ArchiveWriter writer = new ArchiveWriter(directory, base, p.chunkSize(), created)) {
            composer.compose(writer, plan, new ArchiveHeader(ArchiveFormat.NAME, ArchiveFormat.VERSION, composer.sigilVersion(),
                    created.toString(), plan.exporterName(), p.full(), p.ociLayout(), List.of()), context);
            ArchiveWriter.Written written = writer.finish();
            try {
                String href = QuarkusTransaction.requiringNew().call(() -> record(p, plan, written, context));
                context.createdResource(href);
                return Map.of("export", href, "toc", written.tocFile().toString(), "toc_sha256", written.tocSha256(),
                        "chunks", written.toc().chunks().size(), "entries", written.toc().entries().size());
            } catch (RuntimeException e) {
                writer.discard();
                throw e;
            }
        }
    }

    private Plan plan(Parameters p) {
        Exporter exporter = Exporter.<Exporter>find("pulpId", p.exporter()).firstResult();
        List<VersionPlan> versions = new ArrayList<>();
        Set<Long> all = new HashSet<>();
        for (Repository repository : exporter.repositories.stream().sorted((a, b) -> a.name.compareTo(b.name)).toList()) {
            em.refresh(repository);
            int number = p.versions().getOrDefault(repository.pulpId, repository.latestVersion);
            Set<Long> ids = browser.unitIds(repository, number);
            versions.add(new VersionPlan(repository.id, repository.name, repository.description, number, ids));
            all.addAll(ids);
        }
        Set<Long> previous = p.full() ? Set.of() : previouslyExported(exporter);
        ExportContent content = Sql.with(em, sql -> ExportContent.load(sql, all, previous));
        Map<Long, VerdictRecord> verdicts = new HashMap<>();
        verifier.verdicts(content.signatures.keySet()).forEach((id, v) -> verdicts.put(id,
                new VerdictRecord(v.state().name(), v.keyIdentity(), v.reason(), v.computedAt().toString())));
        content.addVerdicts(verdicts);
        return new Plan(exporter.name, exporter.path, versions, content, trustedKeys(), revocations());
    }

    private List<TrustedKeyRecord> trustedKeys() {
        List<TrustedKeyRecord> keys = new ArrayList<>();
        for (int offset = 0; ; offset += 1000) {
            List<TrustedKey> page = trustedKeys.list(null, null, null, 1000, offset).keys();
            page.forEach(k -> keys.add(new TrustedKeyRecord(k.name(), k.type(), k.fingerprint(), k.publicKey(), k.fulcioCa(),
                    k.rekorPublicKey(), k.oidcIssuer(), k.subject(), k.caRoots(), k.caIntermediates(), k.subjectHostname())));
            if (page.size() < 1000) {
                return keys;
            }
        }
    }

    /** The whole revocation list, oldest first, so an import lists keys in the order they were revoked. */
    private List<RevocationRecord> revocations() {
        List<RevocationRecord> records = new ArrayList<>();
        for (int offset = 0; ; offset += 1000) {
            List<RevocationList.RevokedKey> page = revocationList.list(1000, offset).keys();
            page.forEach(k -> records.add(RevocationRecord.of(k)));
            if (page.size() < 1000) {
                java.util.Collections.reverse(records);
                return records;
            }
        }
    }

    /** Every unit of the versions the exporter's last export held; those versions must still exist. */
    private Set<Long> previouslyExported(Exporter exporter) {
        if (exporter.lastExport == null) {
            throw new IllegalStateException("an incremental export needs an earlier export of exporter " + exporter.name);
        }
        List<Object[]> rows = em.createNativeQuery("SELECT repository_id, number FROM export_version WHERE export_id = ?1")
                .setParameter(1, exporter.lastExport.id).getResultList();
        Set<Long> units = new HashSet<>();
        for (Object[] row : rows) {
            Repository repository = Repository.findById(((Number) row[0]).longValue());
            int number = ((Number) row[1]).intValue();
            if (RepositoryVersion.count("repository.id = ?1 and number = ?2", repository.id, number) == 0) {
                throw new IllegalStateException("version " + number + " of repository " + repository.name
                        + ", which the previous export held, no longer exists; make a full export");
            }
            units.addAll(browser.unitIds(repository, number));
        }
        return units;
    }

    private String record(Parameters p, Plan plan, ArchiveWriter.Written written, TaskContext context) {
        Exporter exporter = Exporter.<Exporter>find("pulpId", p.exporter()).firstResult();
        Export export = new Export();
        export.pulpId = p.export();
        export.exporter = exporter;
        export.taskId = context.taskId();
        export.params = new LinkedHashMap<>(p.request());
        Path directory = written.tocFile().getParent();
        written.toc().chunks().forEach(c -> export.outputFiles.put(directory.resolve(c.file()).toString(), c.sha256()));
        export.tocFile = written.tocFile().toString();
        export.tocSha256 = written.tocSha256();
        export.persist();
        em.flush();
        for (VersionPlan v : plan.versions()) {
            em.createNativeQuery("INSERT INTO export_version (export_id, repository_id, number) VALUES (?1, ?2, ?3)")
                    .setParameter(1, export.id).setParameter(2, v.repositoryId()).setParameter(3, v.number()).executeUpdate();
        }
        exporter.lastExport = export;
        return export.href();
    }
}
