package io.sigil.lifecycle;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.Sql;
import io.sigil.content.ExpiredUploads;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import io.sigil.tasks.TaskContext;
import io.sigil.tasks.TaskHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Deletes orphaned content in batches, each batch in one transaction, then the files of the deleted blobs.
 *
 * <p>Racing with pushes and syncs: a batch deletes only units it could lock without waiting, both the advisory lock
 * {@code ContentStore} takes to create or reuse a unit and the rows, FOR UPDATE, against the FOR KEY SHARE that anyone
 * linking to a unit holds; eligibility is then checked again. A unit being reused is therefore skipped, and one being
 * deleted is, to the reuser, simply not there (it is created afresh, or reported missing). Files go only after the
 * rows are committed, under the same advisory lock, when no row names the digest and the file was written before the
 * cut-off: a pull already streaming keeps its open file, a new one gets a clean 404, a fresh upload keeps its copy.
 */
@ApplicationScoped
public class OrphanCleanupTask implements TaskHandler {

    static final int BATCH = 1000;
    /** Protection beyond this (about 190 years) spares everything; it also keeps the cut-off representable. */
    private static final long LONGEST_PROTECTION_MINUTES = 100_000_000L;
    private static final int MAX_MANIFEST_PASSES = 16;
    private static final int FILE_THREADS = 8;

    /**
     * What is older than this may go: the protection time ago, and never later than the start of the oldest task still
     * running in any process (the task table is shared), because a sync, import, copy or sign writes blob files and
     * units first and names them in a version only at its end, however long that takes. Any task but clean-up counts:
     * one that writes nothing merely postpones some clean-up. The minute off covers the units a task reuses: touching
     * a unit refreshes its timestamp only when that is over a minute old ({@code ContentStore}, {@code ExistingUnits}).
     */
    private static final String CUTOFF = """
            SELECT least(now() - make_interval(mins => ?),
                         (SELECT min(started_at) FROM task WHERE state IN ('running', 'canceling') AND name <> ?)
                             - interval '1 minute')""";

    @Inject
    EntityManager em;
    @Inject
    BlobStore blobs;
    @Inject
    ExpiredUploads uploads;

    @ConfigProperty(name = "sigil.orphan-cleanup.sweep-storage", defaultValue = "true")
    boolean sweepStorage;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Result(long orphanProtectionTime, OffsetDateTime cutoff, Map<String, Long> deleted, long blobFilesDeleted,
                         long bytesFreed, long uploadsDeleted, long uploadLeftoversDeleted, long pendingBlobLinksDeleted) {
    }

    private record Batch(int deleted, List<String> blobDigests) {
    }

    @Override
    public String name() {
        return OrphanCleanup.TASK;
    }

    @Override
    public Object run(TaskContext context) {
        long minutes = context.parameters().get("orphan_protection_time").asLong();
        OffsetDateTime cutoff = QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> sql.query(CUTOFF,
                rs -> rs.getObject(1, OffsetDateTime.class), (int) Math.min(minutes, LONGEST_PROTECTION_MINUTES), name()).get(0)));
        try (FileSweep files = new FileSweep(cutoff)) {
            return run(context, minutes, cutoff, files);
        }
    }

    private Result run(TaskContext context, long minutes, OffsetDateTime cutoff, FileSweep files) {
        long uploadsDeleted = expireUploads(context);
        long uploadLeftoversDeleted = uploads.dropLeftoverUploads();
        long pendingBlobLinksDeleted = uploads.dropExpiredPendingLinks(); // their blobs may go below, as orphans
        Map<String, Long> deleted = new LinkedHashMap<>();
        for (OrphanKind kind : List.of(OrphanKind.TAG, OrphanKind.SIGNATURE)) {
            deleted.put(kind.pulpType, sweep(context, kind, cutoff, files));
        }
        long manifests = 0;
        for (int pass = 0; pass < MAX_MANIFEST_PASSES; pass++) {
            long deletedInPass = sweep(context, OrphanKind.MANIFEST, cutoff, files);
            manifests += deletedInPass;
            if (deletedInPass == 0) {
                break;
            }
        }
        deleted.put(OrphanKind.MANIFEST.pulpType, manifests);
        deleted.put(OrphanKind.BLOB.pulpType, sweep(context, OrphanKind.BLOB, cutoff, files));
        if (sweepStorage) {
            sweepStorage(context, files);
        }
        return new Result(minutes, cutoff, deleted, files.deleted.get(), files.bytes.get(), uploadsDeleted,
                uploadLeftoversDeleted, pendingBlobLinksDeleted);
    }

    /** Registry upload sessions abandoned for longer than the upload expiry, with their bytes. */
    private long expireUploads(TaskContext context) {
        long deleted = 0;
        for (int dropped; (dropped = uploads.dropExpiredSessions(BATCH)) > 0; ) {
            deleted += dropped;
            context.checkCanceled();
            context.progress("orphans.uploads", "Deleting expired upload sessions", deleted, null);
        }
        return deleted;
    }

    /** One pass over the eligible units of a type, in id order; returns how many it deleted. */
    private long sweep(TaskContext context, OrphanKind kind, OffsetDateTime cutoff, FileSweep files) {
        long cursor = 0;
        long deleted = 0;
        while (true) {
            context.checkCanceled();
            long after = cursor;
            List<Long> candidates = QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql ->
                    sql.query(kind.candidates(), rs -> rs.getLong(1), after, cutoff, BATCH)));
            if (candidates.isEmpty()) {
                return deleted;
            }
            cursor = candidates.get(candidates.size() - 1);
            Batch batch = QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> deleteBatch(sql, kind, candidates, cutoff)));
            files.deleteUnnamed(batch.blobDigests());
            deleted += batch.deleted();
            context.progress("orphans." + kind.name().toLowerCase(java.util.Locale.ROOT),
                    "Deleting orphaned " + kind.pulpType + " units", deleted, null);
        }
    }

    private static Batch deleteBatch(Sql sql, OrphanKind kind, List<Long> candidates, OffsetDateTime cutoff)
            throws java.sql.SQLException {
        List<Long> locked = sql.query(kind.lockUnused(), rs -> rs.getLong(1), sql.ids(candidates));
        if (locked.isEmpty()) {
            return new Batch(0, List.of());
        }
        List<Long> doomed = sql.query(kind.stillEligible(), rs -> rs.getLong(1), sql.ids(locked), cutoff);
        if (doomed.isEmpty()) {
            return new Batch(0, List.of());
        }
        List<String> digests = kind == OrphanKind.BLOB
                ? sql.query("SELECT digest FROM blob WHERE id = ANY(?)", rs -> rs.getString(1), sql.ids(doomed))
                : List.of();
        sql.update("DELETE FROM content WHERE id = ANY(?)", sql.ids(doomed));
        return new Batch(doomed.size(), digests);
    }

    /** Files in storage that no blob or manifest names, left by a crash between commit and file deletion, say. */
    private void sweepStorage(TaskContext context, FileSweep files) {
        try (Stream<Digest> stored = blobs.digests()) {
            Iterator<Digest> all = stored.iterator();
            while (all.hasNext()) {
                context.checkCanceled();
                List<String> chunk = new ArrayList<>(BATCH);
                while (all.hasNext() && chunk.size() < BATCH) {
                    chunk.add(all.next().toString());
                }
                List<String> unnamed = QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> unnamed(sql, chunk)));
                files.deleteUnnamed(unnamed);
                context.progress("orphans.storage", "Deleting blob files no unit names", files.deleted.get(), null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the blob storage", e);
        }
    }

    private static List<String> unnamed(Sql sql, List<String> digests) throws java.sql.SQLException {
        return sql.query("SELECT d FROM unnest(?::text[]) AS d WHERE NOT EXISTS (SELECT 1 FROM blob b WHERE b.digest = d) "
                + "AND NOT EXISTS (SELECT 1 FROM manifest m WHERE m.digest = d)", rs -> rs.getString(1), sql.texts(digests));
    }

    /**
     * Deletes blob files whose digest no row names, counting what it frees. File deletion waits on the filesystem's
     * journal far more than on the CPU, so each batch's files are deleted by several threads at once.
     */
    private final class FileSweep implements AutoCloseable {
        private final OffsetDateTime cutoff;
        private final ExecutorService deleters = Executors.newFixedThreadPool(FILE_THREADS);
        private final AtomicLong deleted = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();

        FileSweep(OffsetDateTime cutoff) {
            this.cutoff = cutoff;
        }

        /**
         * Within one transaction: takes each digest's advisory lock without waiting (a busy digest is being stored
         * again; a later run will see), checks again that no row names it, and deletes the file while still holding
         * the lock, so that {@code ContentStore} cannot create a row for the digest meanwhile.
         */
        void deleteUnnamed(List<String> digests) {
            if (digests.isEmpty()) {
                return;
            }
            QuarkusTransaction.requiringNew().run(() -> Sql.with(em, sql -> {
                List<String> locked = sql.query("SELECT d FROM unnest(?::text[]) AS d WHERE pg_try_advisory_xact_lock(hashtextextended(d, 0))",
                        rs -> rs.getString(1), sql.texts(digests));
                List<Future<?>> deletions = new ArrayList<>();
                for (String digest : unnamed(sql, locked)) {
                    deletions.add(deleters.submit(() -> delete(Digest.parse(digest))));
                }
                for (Future<?> deletion : deletions) {
                    await(deletion);
                }
                return null;
            }));
        }

        private Void delete(Digest digest) throws IOException {
            long freed = blobs.deleteIfWrittenBefore(digest, cutoff.toInstant());
            if (freed >= 0) {
                deleted.incrementAndGet();
                bytes.addAndGet(freed);
            }
            return null;
        }

        private void await(Future<?> deletion) {
            try {
                deletion.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while deleting blob files", e);
            } catch (ExecutionException e) {
                throw new UncheckedIOException("cannot delete a blob file: " + e.getCause().getMessage(),
                        e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
            }
        }

        @Override
        public void close() {
            deleters.shutdownNow();
        }
    }
}
