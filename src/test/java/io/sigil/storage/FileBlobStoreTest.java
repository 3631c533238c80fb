package io.sigil.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    BlobStore store() {
        return new FileBlobStore(root);
    }

    @Override
    BlobStore otherProcess() {
        return new FileBlobStore(root);
    }

    @Override
    long leftoverUploads() throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("uploads"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Override
    Instant ageAndCutoff(Digest digest) throws IOException {
        Instant now = Instant.now();
        Files.setLastModifiedTime(new FileBlobStore(root).pathOf(digest), FileTime.from(now.minus(Duration.ofHours(1))));
        return now.minus(Duration.ofMinutes(1));
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
}
