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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest {

    @TempDir
    Path root;

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private long filesUnder(String dir) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve(dir))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aVerifiedCommitPublishesTheBlobUnderItsDigest() throws IOException {
        FileBlobStore store = new FileBlobStore(root);
        Digest digest = Digest.sha256Of("hello".getBytes(StandardCharsets.UTF_8));
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
        assertEquals(0, filesUnder("uploads"));
    }

    @Test
    void aWrongDigestOrSizeLeavesNothingBehind() throws IOException {
        FileBlobStore store = new FileBlobStore(root);
        Digest claimed = Digest.sha256Of("something else".getBytes(StandardCharsets.UTF_8));
        BlobUpload upload = store.beginUpload();
        upload.write(bytes("hello"));
        assertThrows(DigestMismatchException.class, () -> upload.commit(claimed, 5));
        BlobUpload sized = store.beginUpload();
        sized.write(bytes("hello"));
        assertThrows(DigestMismatchException.class, () -> sized.commit(Digest.sha256Of("hello".getBytes(StandardCharsets.UTF_8)), 6));
        assertFalse(store.exists(claimed));
        assertEquals(0, filesUnder("uploads"));
        assertEquals(0, filesUnder("blobs"));
    }

    @Test
    void anInterruptedWriteLeavesNothingBehind() throws IOException {
        FileBlobStore store = new FileBlobStore(root);
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
        assertEquals(0, filesUnder("uploads"));
        assertEquals(0, filesUnder("blobs"));
    }

    @Test
    void aSuspendedUploadResumesAndIsHashedOnce() throws IOException {
        FileBlobStore store = new FileBlobStore(root);
        String id;
        BlobUpload first = store.beginUpload();
        id = first.id();
        first.write(bytes("chunk-one|"));
        first.suspend();
        try (BlobUpload second = store.resumeUpload(id)) {
            assertEquals(10, second.size());
            second.write(bytes("chunk-two"));
            assertEquals(Digest.sha256Of("chunk-one|chunk-two".getBytes(StandardCharsets.UTF_8)), second.commit());
        }
        assertThrows(UploadNotFoundException.class, () -> store.resumeUpload(id));
        assertThrows(UploadNotFoundException.class, () -> store.resumeUpload("../../etc/passwd"));
    }

    @Test
    void anUploadSuspendedByAnotherProcessIsRehashedFromDisk() throws IOException {
        FileBlobStore one = new FileBlobStore(root);
        BlobUpload upload = one.beginUpload();
        upload.write(bytes("abc"));
        upload.suspend();
        FileBlobStore other = new FileBlobStore(root); // another process: no hash state in memory
        try (BlobUpload resumed = other.resumeUpload(upload.id())) {
            resumed.write(bytes("def"));
            resumed.commit(Digest.sha256Of("abcdef".getBytes(StandardCharsets.UTF_8)), 6);
        }
        assertTrue(other.exists(Digest.sha256Of("abcdef".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void largeBlobsStreamThroughAFixedBuffer() throws Exception {
        FileBlobStore store = new FileBlobStore(root);
        long size = 64L * 1024 * 1024;
        MessageDigest expected = Digest.newSha256();
        Random random = new Random(7);
        byte[] block = new byte[1024 * 1024];
        random.nextBytes(block);
        for (long i = 0; i < size / block.length; i++) {
            expected.update(block);
        }
        InputStream source = new InputStream() {
            long left = size;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, Math.min(left, block.length - (size - left) % block.length));
                System.arraycopy(block, (int) ((size - left) % block.length), b, off, n);
                left -= n;
                return n;
            }
        };
        Digest digest = new Digest(Digest.SHA256, HexFormat.of().formatHex(expected.digest()));
        try (BlobUpload upload = store.beginUpload()) {
            assertEquals(size, upload.write(source));
            upload.commit(digest, size);
        }
        assertEquals(size, store.size(digest).orElseThrow());
        try (InputStream in = store.open(digest, size - 10)) {
            assertArrayEquals(java.util.Arrays.copyOfRange(block, block.length - 10, block.length), in.readAllBytes());
        }
    }

    @Test
    void digestsOtherThanSha256AreRefusedWithAReason() {
        InvalidDigestException e = assertThrows(InvalidDigestException.class,
                () -> Digest.parse("sha512:" + "a".repeat(128)));
        assertTrue(e.getMessage().contains("only sha256"), e.getMessage());
        assertThrows(InvalidDigestException.class, () -> Digest.parse("sha256:ABC"));
        assertThrows(InvalidDigestException.class, () -> Digest.parse("not-a-digest"));
        assertEquals("sha256:" + "a".repeat(64), Digest.parse("sha256:" + "a".repeat(64)).toString());
    }

    @Test
    void openingAMissingBlobSaysWhich() {
        FileBlobStore store = new FileBlobStore(root);
        Digest digest = Digest.sha256Of(new byte[] {1});
        BlobNotFoundException e = assertThrows(BlobNotFoundException.class, () -> store.open(digest, 0));
        assertTrue(e.getMessage().contains(digest.toString()));
    }
}
