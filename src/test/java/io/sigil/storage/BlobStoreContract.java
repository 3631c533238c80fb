package io.sigil.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} guarantees, run against each implementation. A subclass gives a fresh, empty store and
 * a second one over the same storage, as another process sharing it would see it.
 */
abstract class BlobStoreContract {

    /** A fresh, empty store. */
    abstract BlobStore store() throws IOException;

    /** Another store over the same storage as the last {@link #store()}, with nothing in memory. */
    abstract BlobStore otherProcess() throws IOException;

    /** Items left in the upload area (files, objects, unfinished multipart uploads). */
    abstract long leftoverUploads() throws IOException;

    /**
     * Makes {@code digest}'s current copy count as written before the returned cut-off, and the moment after it as at
     * or after it (a filesystem backdates the file; S3, with its one-second write times, waits for the next second).
     */
    abstract Instant ageAndCutoff(Digest digest) throws Exception;

    /** Bytes of a blob that needs several multipart parts on S3 (part size 5 MiB). */
    static final int LARGE = 11 * 1024 * 1024 + 123;

    static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static Digest digestOf(String text) {
        return Digest.sha256Of(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Digest> listed(BlobStore store) throws IOException {
        try (Stream<Digest> digests = store.digests()) {
            return digests.toList();
        }
    }

    @Test
    void aVerifiedCommitPublishesTheBlobUnderItsDigest() throws IOException {
        BlobStore store = store();
        Digest digest = digestOf("hello");
        try (BlobUpload upload = store.beginUpload()) {
            upload.write(bytes("hel"));
            upload.write(bytes("lo"));
            assertFalse(store.exists(digest), "nothing is visible before the commit");
            upload.commit(digest, 5);
        }
        assertEquals(5L, store.size(digest).orElseThrow());
        try (InputStream in = store.open(digest, 2)) {
            assertEquals("llo", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(0, leftoverUploads());
        assertEquals(List.of(digest), listed(store));
    }

    @Test
    void aWrongDigestOrSizeLeavesNothingBehind() throws IOException {
        BlobStore store = store();
        Digest claimed = digestOf("something else");
        BlobUpload upload = store.beginUpload();
        upload.write(bytes("hello"));
        assertThrows(DigestMismatchException.class, () -> upload.commit(claimed, 5));
        BlobUpload sized = store.beginUpload();
        sized.write(bytes("hello"));
        assertThrows(DigestMismatchException.class, () -> sized.commit(digestOf("hello"), 6));
        assertFalse(store.exists(claimed));
        assertEquals(0, leftoverUploads());
        assertEquals(List.of(), listed(store));
    }

    @Test
    void anInterruptedWriteLeavesNothingBehind() throws IOException {
        BlobStore store = store();
        InputStream failing = new InputStream() {
            int served;

            @Override
            public int read() throws IOException {
                if (served++ > 1000) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };
        try (BlobUpload upload = store.beginUpload()) {
            assertThrows(IOException.class, () -> upload.write(failing));
        }
        assertEquals(0, leftoverUploads());
        assertEquals(List.of(), listed(store));
    }

    @Test
    void aSuspendedUploadResumesAndVanishesOnCommit() throws IOException {
        BlobStore store = store();
        BlobUpload first = store.beginUpload();
        String id = first.id();
        first.write(bytes("chunk-one|"));
        first.suspend();
        try (BlobUpload second = store.resumeUpload(id)) {
            assertEquals(10, second.size());
            second.write(bytes("chunk-two"));
            assertEquals(digestOf("chunk-one|chunk-two"), second.commit());
        }
        assertThrows(UploadNotFoundException.class, () -> store.resumeUpload(id));
        assertThrows(UploadNotFoundException.class, () -> store.resumeUpload("../../etc/passwd"));
        assertEquals(0, leftoverUploads());
    }

    @Test
    void anUploadSuspendedByAnotherProcessContinuesHere() throws IOException {
        BlobUpload upload = store().beginUpload();
        upload.write(bytes("abc"));
        upload.suspend();
        BlobStore other = otherProcess();
        try (BlobUpload resumed = other.resumeUpload(upload.id())) {
            resumed.write(bytes("def"));
            resumed.commit(digestOf("abcdef"), 6);
        }
        assertTrue(other.exists(digestOf("abcdef")));
    }

    @Test
    void aCanceledUploadIsGone() throws IOException {
        BlobStore store = store();
        BlobUpload upload = store.beginUpload();
        upload.write(new ByteArrayInputStream(new byte[6 * 1024 * 1024]));
        upload.suspend();
        try (BlobUpload resumed = otherProcess().resumeUpload(upload.id())) {
            resumed.cancel();
        }
        assertThrows(UploadNotFoundException.class, () -> store.resumeUpload(upload.id()));
        assertEquals(0, leftoverUploads());
    }

    @Test
    void anAbortedUploadIsGoneWhoeverBeganIt() throws IOException {
        BlobStore store = store();
        BlobUpload upload = store.beginUpload();
        upload.write(new ByteArrayInputStream(new byte[6 * 1024 * 1024 + 7])); // on S3: a part sent and a tail
        upload.suspend();
        BlobStore other = otherProcess();
        other.abortUpload(upload.id());
        assertThrows(UploadNotFoundException.class, () -> store.resumeUpload(upload.id()));
        assertEquals(0, leftoverUploads());
        other.abortUpload(upload.id()); // already gone: nothing to do
        other.abortUpload("../../etc/passwd");
    }

    /** A suspended upload and one its process never finished (a crash mid-download): on S3, a part sent and a tail. */
    @Test
    void uploadsOlderThanTheCutoffGoWhetherSuspendedOrCutShort() throws IOException {
        BlobStore store = store();
        BlobUpload suspended = store.beginUpload();
        suspended.write(new ByteArrayInputStream(new byte[6 * 1024 * 1024 + 7]));
        suspended.suspend();
        BlobUpload cutShort = store.beginUpload();
        cutShort.write(new ByteArrayInputStream(new byte[6 * 1024 * 1024]));

        assertEquals(0, store.abortUploadsOlderThan(Instant.now().minusSeconds(3600)), "fresh uploads stay");
        try (BlobUpload resumed = otherProcess().resumeUpload(suspended.id())) {
            assertEquals(6 * 1024 * 1024 + 7, resumed.size());
            resumed.suspend();
        }

        assertEquals(2, store.abortUploadsOlderThan(Instant.now().plusSeconds(60)));
        assertThrows(UploadNotFoundException.class, () -> store.resumeUpload(suspended.id()));
        assertEquals(0, leftoverUploads());
        assertEquals(0, store.abortUploadsOlderThan(Instant.now().plusSeconds(60)), "nothing left");
    }

    /** Parts, a tail between requests and the hash state all travel through the storage to the other process. */
    @Test
    void aLargeUploadInChunksResumesElsewhereAndStreamsBack() throws IOException {
        byte[] content = new byte[LARGE];
        new Random(7).nextBytes(content);
        BlobStore store = store();
        BlobUpload first = store.beginUpload();
        int cut = 6 * 1024 * 1024 + 17;
        first.write(new ByteArrayInputStream(content, 0, cut));
        first.suspend();
        BlobStore other = otherProcess();
        try (BlobUpload second = other.resumeUpload(first.id())) {
            assertEquals(cut, second.size());
            assertEquals(LARGE - cut, second.write(new ByteArrayInputStream(content, cut, LARGE - cut)));
            second.commit(Digest.sha256Of(content), LARGE);
        }
        Digest digest = Digest.sha256Of(content);
        assertEquals((long) LARGE, store.size(digest).orElseThrow());
        try (InputStream in = store.open(digest, LARGE - 10)) {
            assertArrayEquals(Arrays.copyOfRange(content, LARGE - 10, LARGE), in.readAllBytes());
        }
        MessageDigest sha = Digest.newSha256();
        try (InputStream in = store.open(digest, 0)) {
            sha.update(in.readAllBytes());
        }
        assertEquals(digest.hex(), HexFormat.of().formatHex(sha.digest()));
        assertEquals(0, leftoverUploads());
    }

    @Test
    void deleteIfWrittenBeforeSparesACopyWrittenAgainByPut() throws Exception {
        BlobStore store = store();
        byte[] bytes = "wanted again".getBytes(StandardCharsets.UTF_8);
        Digest digest = store.put(bytes);
        Instant cutoff = ageAndCutoff(digest);
        assertEquals(digest, store.put(bytes));
        assertEquals(-1, store.deleteIfWrittenBefore(digest, cutoff), "a fresh write survives");
        assertTrue(store.exists(digest));

        Instant later = Instant.now().plusSeconds(60);
        assertEquals(bytes.length, store.deleteIfWrittenBefore(digest, later));
        assertFalse(store.exists(digest));
        assertEquals(-1, store.deleteIfWrittenBefore(digest, later), "nothing left to delete");
        assertEquals(List.of(), listed(store));
    }

    @Test
    void refreshMakesAStoredBlobCountAsWrittenNow() throws Exception {
        BlobStore store = store();
        byte[] bytes = "refreshed".getBytes(StandardCharsets.UTF_8);
        Digest digest = store.put(bytes);
        Instant cutoff = ageAndCutoff(digest);
        assertTrue(store.refresh(digest));
        assertEquals(-1, store.deleteIfWrittenBefore(digest, cutoff));
        try (InputStream in = store.open(digest, 0)) {
            assertArrayEquals(bytes, in.readAllBytes(), "the same bytes after the refresh");
        }
        assertFalse(store.refresh(Digest.sha256Of(new byte[] {9})), "an absent blob cannot be refreshed");
    }

    @Test
    void deleteReportsWhetherTheBlobExisted() throws IOException {
        BlobStore store = store();
        Digest digest = store.put(new byte[] {1, 2, 3});
        assertTrue(store.delete(digest));
        assertFalse(store.delete(digest));
        assertTrue(store.size(digest).isEmpty());
    }

    @Test
    void digestsListsCommittedBlobsOnly() throws IOException {
        BlobStore store = store();
        Digest one = store.put(new byte[] {1});
        Digest two = store.put(new byte[] {2});
        BlobUpload pending = store.beginUpload();
        pending.write(bytes("not yet"));
        pending.suspend();
        assertEquals(java.util.Set.of(one, two), java.util.Set.copyOf(listed(store)));
    }

    @Test
    void openingAMissingBlobSaysWhich() throws IOException {
        BlobStore store = store();
        Digest digest = Digest.sha256Of(new byte[] {1});
        BlobNotFoundException e = assertThrows(BlobNotFoundException.class, () -> store.open(digest, 0));
        assertTrue(e.getMessage().contains(digest.toString()));
    }
}
