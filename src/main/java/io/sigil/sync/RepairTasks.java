package io.sigil.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.Sql;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import io.sigil.tasks.TaskContext;
import io.sigil.tasks.TaskDispatcher;
import io.sigil.tasks.TaskHandler;
import io.sigil.tasks.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Pulp's {@code versions/<n>/repair/}: checks every blob of a repository version against storage (present, and with
 * {@code verify_checksums} its bytes hash to its digest) and every manifest's stored bytes against its digest. A blob
 * whose bytes are wrong is deleted, so it is never served; missing and deleted blobs are fetched again from the
 * repository's remote when it has one. The result lists what was missing, corrupted, repaired and left unrepaired.
 */
@ApplicationScoped
public class RepairTasks {

    public static final String REPAIR = "repository.repair";
    private static final Logger LOG = Logger.getLogger(RepairTasks.class);

    @Inject
    TaskDispatcher dispatcher;

    record RepairParameters(UUID repository, int number, boolean verifyChecksums) {
    }

    /** Reads the version, so other reads go on; the version itself never changes. */
    public TaskRef repair(Repository repository, int number, boolean verifyChecksums) {
        List<String> shared = new ArrayList<>(List.of(repository.resource()));
        if (repository.remoteId != null) {
            shared.add("remote:" + repository.remoteId);
        }
        return dispatcher.dispatch(REPAIR, new RepairParameters(repository.pulpId, number, verifyChecksums),
                List.of(), shared);
    }

    record StoredBlob(String digest, long size) {
    }

    @ApplicationScoped
    static class Repair implements TaskHandler {
        @Inject
        RepositoryService repositories;
        @Inject
        RemoteService remotes;
        @Inject
        BlobStore store;
        @Inject
        EntityManager em;
        @Inject
        ObjectMapper mapper;
        @Inject
        OutboundAddresses addresses;

        @Override
        public String name() {
            return REPAIR;
        }

        @Override
        public Object run(TaskContext context) throws Exception {
            var p = mapper.treeToValue(context.parameters(), RepairParameters.class);
            Repository repository = QuarkusTransaction.requiringNew().call(() -> {
                repositories.version(p.repository(), p.number());
                return repositories.get(p.repository());
            });
            LOG.infof("task %s: repairing version %d of repository %s", context.taskId(), p.number(), repository.name);
            List<StoredBlob> blobs = QuarkusTransaction.requiringNew().call(() -> blobsOf(repository.id, p.number()));
            List<String> badManifests = QuarkusTransaction.requiringNew().call(() -> manifestsNotMatching(repository.id, p.number()));
            List<StoredBlob> missing = new ArrayList<>();
            List<StoredBlob> corrupted = new ArrayList<>();
            long done = 0;
            for (StoredBlob blob : blobs) {
                context.checkCanceled();
                Digest digest = Digest.parse(blob.digest());
                if (store.size(digest).isEmpty()) {
                    missing.add(blob);
                } else if (p.verifyChecksums() && !matches(digest, blob.size())) {
                    store.delete(digest); // wrong bytes are worse than none: a pull now fails instead of lying
                    corrupted.add(blob);
                }
                context.progress("repair.blobs", "Checking blobs", ++done, (long) blobs.size());
            }
            Map<String, String> unrepaired = new LinkedHashMap<>();
            List<String> repaired = refetch(context, repository, concat(missing, corrupted), unrepaired);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("blobs_checked", blobs.size());
            result.put("missing", missing.stream().map(StoredBlob::digest).toList());
            result.put("corrupted", corrupted.stream().map(StoredBlob::digest).toList());
            result.put("repaired", repaired.stream().sorted().toList());
            result.put("unrepaired", unrepaired);
            result.put("manifests_not_matching_digest", badManifests);
            LOG.infof("task %s: repair of %s version %d done: %d blobs checked, %d missing, %d corrupted, %d repaired",
                    context.taskId(), repository.name, p.number(), blobs.size(), missing.size(), corrupted.size(),
                    repaired.size());
            return result;
        }

        private List<String> refetch(TaskContext context, Repository repository, List<StoredBlob> lost,
                                     Map<String, String> unrepaired) {
            List<String> repaired = new ArrayList<>();
            if (lost.isEmpty()) {
                return repaired;
            }
            if (repository.remoteId == null) {
                lost.forEach(b -> unrepaired.put(b.digest(), "the repository has no remote to fetch it from"));
                return repaired;
            }
            RemoteSettings remote = remotes.settings(repository.remoteId);
            try (UpstreamHttp http = new UpstreamHttp(remote, addresses)) {
                RegistryClient client = new RegistryClient(http, remote);
                long done = 0;
                for (StoredBlob blob : lost) {
                    context.checkCanceled();
                    try {
                        client.blob(Digest.parse(blob.digest()), blob.size(), store);
                        repaired.add(blob.digest());
                    } catch (IOException e) {
                        unrepaired.put(blob.digest(), "fetching it from remote " + remote.name() + " failed: " + e.getMessage());
                    }
                    context.progress("repair.refetch", "Fetching lost blobs from the remote", ++done, (long) lost.size());
                }
            }
            return repaired;
        }

        private boolean matches(Digest digest, long size) throws IOException {
            MessageDigest sha256 = sha256();
            long read = 0;
            try (InputStream in = store.open(digest, 0)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; read += n) {
                    sha256.update(buffer, 0, n);
                }
            }
            return read == size && HexFormat.of().formatHex(sha256.digest()).equals(digest.hex());
        }

        private List<StoredBlob> blobsOf(long repositoryId, int number) {
            return Sql.with(em, sql -> sql.query("SELECT b.digest, b.size FROM blob b JOIN repository_content rc "
                    + "ON rc.content_id = b.id WHERE rc.repository_id = ? AND rc.version_added <= ? "
                    + "AND (rc.version_removed IS NULL OR rc.version_removed > ?) ORDER BY b.digest",
                    rs -> new StoredBlob(rs.getString(1), rs.getLong(2)), repositoryId, number, number));
        }

        private List<String> manifestsNotMatching(long repositoryId, int number) {
            List<String> bad = new ArrayList<>();
            Sql.with(em, sql -> sql.query("SELECT m.digest, m.data FROM manifest m JOIN repository_content rc "
                    + "ON rc.content_id = m.id WHERE rc.repository_id = ? AND rc.version_added <= ? "
                    + "AND (rc.version_removed IS NULL OR rc.version_removed > ?)", rs -> {
                        String digest = rs.getString(1);
                        if (digest.startsWith("sha256:") && !digest.equals(Digest.sha256Of(rs.getBytes(2)).toString())) {
                            bad.add(digest);
                        }
                        return null;
                    }, repositoryId, number, number));
            return bad;
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static List<StoredBlob> concat(List<StoredBlob> a, List<StoredBlob> b) {
            List<StoredBlob> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }
    }
}
