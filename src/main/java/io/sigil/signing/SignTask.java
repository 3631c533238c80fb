package io.sigil.signing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.Sql;
import io.sigil.content.CosignTags;
import io.sigil.content.Manifest;
import io.sigil.content.Tag;
import io.sigil.repository.Hrefs;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionWriter;
import io.sigil.signature.CosignAttachment;
import io.sigil.signature.CosignAttachmentStore;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.SignatureIngest;
import io.sigil.signature.UntrustedCosignSignature;
import io.sigil.storage.Digest;
import io.sigil.tasks.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sign task: plans what the latest version lacks, signs in parallel outside any transaction, then stores every
 * signature (and cosign .sig manifests) and writes ONE new version in one transaction. A failure anywhere leaves no
 * version: blobs already written are unreferenced and harmless.
 */
@ApplicationScoped
class SignTask {

    @Inject
    SigningServices services;
    @Inject
    RepositoryService repositories;
    @Inject
    SignatureIngest ingest;
    @Inject
    CosignAttachmentStore attachmentStore;
    @Inject
    VersionWriter writer;
    @Inject
    EntityManager em;

    /** Signing threads per task; 0 means one per processor. */
    @ConfigProperty(name = "sigil.signing.parallelism", defaultValue = "0")
    int parallelism;

    /** What to sign, with the manifests' bytes, and the current .sig manifest of each image (cosign). */
    private record Prepared(long repositoryId, List<SignPlan.Target> targets, int skipped, Map<Long, byte[]> data) {
    }

    private record Made(SignPlan.Target target, byte[] signature) {
    }

    Map<String, Object> run(TaskContext context, SigningTasks.SignParameters p) throws Exception {
        SigningServices.Unlocked service = services.unlock(p.service());
        Prepared prepared = QuarkusTransaction.requiringNew().call(() -> prepare(p, service));
        List<Made> made = signAll(context, prepared, service);
        Optional<String> version = QuarkusTransaction.requiringNew().call(() ->
                storeAndWrite(prepared, made, service.service(), p.repository(), context));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("version", version.orElse("unchanged"));
        result.put("signed", made.size());
        result.put("already_signed", prepared.skipped());
        return result;
    }

    private Prepared prepare(SigningTasks.SignParameters p, SigningServices.Unlocked service) {
        Repository repository = repositories.get(p.repository());
        return Sql.with(em, sql -> {
            VersionQueries version = new VersionQueries(sql, repository.id, repository.latestVersion);
            List<SignPlan.Target> all = SignPlan.targets(version, SignPlan.select(version, p.tags(), p.manifests()), p.reference());
            List<SignPlan.Target> todo = withoutSignedOnes(version, all, service);
            Set<Long> ids = new HashSet<>();
            todo.forEach(t -> ids.add(t.manifestId()));
            return new Prepared(repository.id, todo, all.size() - todo.size(), version.data(ids));
        });
    }

    /** Signing is idempotent: a (manifest, reference) this service's key already signed in the version is skipped. */
    private static List<SignPlan.Target> withoutSignedOnes(VersionQueries version, List<SignPlan.Target> targets,
                                                           SigningServices.Unlocked service) throws java.sql.SQLException {
        Set<Long> manifestIds = new HashSet<>();
        targets.forEach(t -> manifestIds.add(t.manifestId()));
        Map<String, List<VersionQueries.HeldSignature>> held = new HashMap<>();
        for (VersionQueries.HeldSignature s : version.signaturesOf(manifestIds, service.service().type())) {
            held.computeIfAbsent(s.manifestId() + " " + s.dockerReference(), k -> new ArrayList<>()).add(s);
        }
        return targets.stream().filter(t -> held.getOrDefault(t.manifestId() + " " + t.dockerReference(), List.of()).stream()
                .noneMatch(s -> service.key().signed(s.data(), t.digest(), t.dockerReference()))).toList();
    }

    private Map<String, Manifest> sigManifests(VersionQueries version, List<SignPlan.Target> targets) throws java.sql.SQLException {
        Set<String> tagNames = new HashSet<>();
        targets.forEach(t -> tagNames.add(CosignTags.signatureTag(Digest.parse(t.digest()))));
        Map<String, Manifest> found = new HashMap<>();
        for (VersionQueries.TaggedManifest tag : version.tags(tagNames, Integer.MAX_VALUE, 0)) {
            found.put(tag.tag(), em.find(Manifest.class, tag.manifestId()));
        }
        return found;
    }

    private List<Made> signAll(TaskContext context, Prepared prepared, SigningServices.Unlocked service) throws Exception {
        int threads = Math.max(1, Math.min(prepared.targets().size(),
                parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Made>> futures = new ArrayList<>();
            for (SignPlan.Target target : prepared.targets()) {
                futures.add(pool.submit(() -> sign(service, target, prepared.data().get(target.manifestId()))));
            }
            List<Made> made = new ArrayList<>();
            for (Future<Made> future : futures) {
                context.checkCanceled();
                made.add(unwrap(future));
                if (made.size() % 50 == 0 || made.size() == futures.size()) {
                    context.progress("signing.sign", "Signing manifests", made.size(), (long) futures.size());
                }
            }
            return made;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every signature is checked against the service's public key: a script's output is not trusted blindly. */
    private static Made sign(SigningServices.Unlocked service, SignPlan.Target target, byte[] manifest) throws Exception {
        byte[] signature = service.signer().sign(manifest, target.digest(), target.dockerReference());
        service.key().require(signature, target.digest(), target.dockerReference());
        return new Made(target, signature);
    }

    private static Made unwrap(Future<Made> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** One .sig manifest per signed image: its current layers plus the new ones. */
    private static Map<String, CosignAttachment.Built> attachments(List<Made> made, Map<String, Manifest> sigManifests) {
        Map<String, List<UntrustedCosignSignature>> layers = new LinkedHashMap<>();
        for (Made m : made) {
            layers.computeIfAbsent(m.target().digest(), k -> new ArrayList<>()).add(CosignSignatures.fromStorageForm(m.signature()));
        }
        Map<String, CosignAttachment.Built> built = new LinkedHashMap<>();
        layers.forEach((digest, newLayers) -> {
            Manifest existing = sigManifests.get(CosignTags.signatureTag(Digest.parse(digest)));
            built.put(digest, CosignAttachment.build(existing == null ? null : existing.data, newLayers));
        });
        return built;
    }

    /**
     * Under the repository's lock: a .sig manifest is rebuilt from the one the latest version holds now (a push may
     * have changed it while the task signed), so no signature pushed meanwhile is lost.
     */
    private Optional<String> storeAndWrite(Prepared prepared, List<Made> made, SigningService service,
                                           java.util.UUID repositoryId, TaskContext context) throws IOException {
        Repository repository = writer.lock(prepared.repositoryId(), context);
        Set<Long> add = new HashSet<>();
        Set<Long> remove = new HashSet<>();
        if (SignatureIngest.ATOMIC.equals(service.type())) {
            made.forEach(m -> add.add(ingest.atomic(m.target().digest(), m.signature()).id));
        } else {
            Map<String, Manifest> sigManifests = Sql.with(em, sql -> sigManifests(
                    new VersionQueries(sql, repository.id, repository.latestVersion), made.stream().map(Made::target).toList()));
            for (Map.Entry<String, CosignAttachment.Built> entry : attachments(made, sigManifests).entrySet()) {
                attachmentStore.writeBlobs(entry.getValue());
                storeAttachment(entry.getKey(), entry.getValue(), made, sigManifests, service, add, remove);
            }
        }
        VersionChange change = new VersionChange(null, add, remove, false).plannedOn(repository.latestVersion);
        return writer.write(repository.id, change, context).map(v -> Hrefs.version(repositoryId, v.number));
    }

    private void storeAttachment(String subject, CosignAttachment.Built built, List<Made> made, Map<String, Manifest> sigManifests,
                                 SigningService service, Set<Long> add, Set<Long> remove) {
        Tag tag = attachmentStore.tag(subject, built);
        Manifest sig = tag.manifest;
        add.add(tag.id);
        Manifest previous = sigManifests.get(tag.name);
        if (previous != null && !previous.id.equals(sig.id)) {
            remove.add(previous.id);
        }
        for (Made m : made) {
            if (m.target().digest().equals(subject)) {
                add.add(ingest.cosign(subject, CosignSignatures.fromStorageForm(m.signature()), service.fingerprint(), sig.digest).id);
            }
        }
    }
}
