package io.sigil.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.regex.Pattern;

/**
 * Blobs on a local or shared filesystem.
 *
 * <pre>
 * root/
 *   blobs/sha256/ab/abcdef...   committed blobs, named by digest, never modified
 *   uploads/&lt;uuid&gt;            uploads in progress; moved into blobs/ on a verified commit
 * </pre>
 *
 * A commit is an atomic rename within one filesystem, so a reader sees the whole blob or none.
 */
public class FileBlobStore implements BlobStore {

    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f-]{36}");
    private static final int BUFFER = 256 * 1024;

    private final Path blobs;
    private final Path uploads;
    /** Hash state of uploads suspended in this process, so a chunked upload is hashed once. */
    private final Map<String, HashState> suspended = new ConcurrentHashMap<>();

    public FileBlobStore(Path root) {
        this.blobs = root.resolve("blobs");
        this.uploads = root.resolve("uploads");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(uploads);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create blob storage under " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public StorageStatus status() {
        try {
            if (!java.nio.file.Files.isDirectory(blobs) || !java.nio.file.Files.isWritable(blobs)) {
                return StorageStatus.unreachable("file", blobs + " is missing or not writable");
            }
            java.nio.file.FileStore store = java.nio.file.Files.getFileStore(blobs);
            return StorageStatus.sized("file", store.getTotalSpace(), store.getUsableSpace());
        } catch (IOException | RuntimeException e) {
            return StorageStatus.unreachable("file", "cannot read " + blobs + ": " + e.getMessage());
        }
    }

    Path pathOf(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    @Override
    public Optional<Long> size(Digest digest) {
        try {
            return Optional.of(Files.size(pathOf(digest)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Path> file(Digest digest) {
        Path path = pathOf(digest);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    @Override
    public boolean refresh(Digest digest) throws IOException {
        try {
            Files.setLastModifiedTime(pathOf(digest), FileTime.from(Instant.now()));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public InputStream open(Digest digest, long offset) throws IOException {
        try {
            FileChannel channel = FileChannel.open(pathOf(digest), StandardOpenOption.READ);
            channel.position(offset);
            return Channels.newInputStream(channel);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(digest);
        }
    }

    @Override
    public BlobUpload beginUpload() throws IOException {
        String id = UUID.randomUUID().toString();
        Files.createFile(uploads.resolve(id));
        return new FileUpload(id, new HashState(Digest.newSha256(), 0));
    }

    @Override
    public BlobUpload resumeUpload(String uploadId) throws IOException {
        if (!UPLOAD_ID.matcher(uploadId).matches()) {
            throw new UploadNotFoundException(uploadId);
        }
        Path file = uploads.resolve(uploadId);
        if (!Files.exists(file)) {
            throw new UploadNotFoundException(uploadId);
        }
        HashState state = suspended.remove(uploadId);
        if (state == null || state.size != Files.size(file)) {
            state = rehash(file); // suspended by another process: hash what is there once
        }
        return new FileUpload(uploadId, state);
    }

    @Override
    public void abortUpload(String uploadId) throws IOException {
        if (UPLOAD_ID.matcher(uploadId).matches()) {
            suspended.remove(uploadId);
            Files.deleteIfExists(uploads.resolve(uploadId));
        }
    }

    /** Files are judged by their write time, which every append renews; {@code gc-*} files left by a crash go too. */
    @Override
    public int abortUploadsOlderThan(Instant cutoff) throws IOException {
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(uploads)) {
            for (Path entry : entries) {
                if (writtenBefore(entry, cutoff) && Files.deleteIfExists(entry)) {
                    suspended.remove(entry.getFileName().toString());
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private static boolean writtenBefore(Path file, Instant cutoff) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isBefore(cutoff);
        } catch (NoSuchFileException e) {
            return false; // committed or aborted meanwhile
        }
    }

    private static HashState rehash(Path file) throws IOException {
        MessageDigest sha = Digest.newSha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                size += n;
            }
        }
        return new HashState(sha, size);
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        return Files.deleteIfExists(pathOf(digest));
    }

    /**
     * Moves the blob out of sight first, then decides on its write time: once moved, no upload can replace it behind
     * our back. A blob published since it was last written is moved back, unless an even newer copy has appeared.
     */
    @Override
    public long deleteIfWrittenBefore(Digest digest, Instant cutoff) throws IOException {
        Path path = pathOf(digest);
        Path doomed = uploads.resolve("gc-" + UUID.randomUUID());
        try {
            Files.move(path, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return -1;
        }
        BasicFileAttributes attributes = Files.readAttributes(doomed, BasicFileAttributes.class);
        if (attributes.lastModifiedTime().toInstant().isBefore(cutoff)) {
            Files.delete(doomed);
            return attributes.size();
        }
        try {
            Files.move(doomed, path, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.delete(doomed); // the same bytes were published meanwhile
        }
        return -1;
    }

    @Override
    public Stream<Digest> digests() throws IOException {
        return Files.walk(blobs, 3).filter(Files::isRegularFile)
                .map(p -> p.getParent().getParent().getFileName() + ":" + p.getFileName())
                .filter(Digest::isValid).map(Digest::parse); // stray files are none of our business
    }

    private record HashState(MessageDigest sha, long size) {
    }

    private final class FileUpload extends VerifiedUpload {
        private final Path file;
        private MessageDigest sha;
        private boolean finished;

        FileUpload(String id, HashState state) {
            super(id, state.size);
            this.file = uploads.resolve(id);
            this.sha = state.sha;
        }

        @Override
        public long write(InputStream data) throws IOException {
            MessageDigest before = copy(sha);
            long written = 0;
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = data.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    sha.update(buffer, 0, n);
                    written += n;
                }
            } catch (IOException | RuntimeException e) {
                undo(before);
                if (e instanceof IOException io && StorageFullException.isNoSpace(io)) {
                    throw new StorageFullException("the blob storage is full (" + e.getMessage() + ")", e);
                }
                throw e;
            }
            size += written;
            return written;
        }

        /** Cuts the file back to the bytes written before this chunk and the hash back to its state then. */
        private void undo(MessageDigest before) throws IOException {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(size);
            }
            sha = before;
        }

        @Override
        protected Digest computed() {
            return new Digest(Digest.SHA256, HexFormat.of().formatHex(copy(sha).digest()));
        }

        private static MessageDigest copy(MessageDigest sha) {
            try {
                return (MessageDigest) sha.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 digests are cloneable", e);
            }
        }

        @Override
        protected void publish(Digest digest) throws IOException {
            Path target = pathOf(digest);
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true); // the blob must be durable before it becomes visible
            }
            // Published now, whenever its last bytes came: clean-up judges a file's age by its write time.
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                Files.deleteIfExists(file); // same bytes already stored
            }
            if (Files.exists(file)) {
                Files.deleteIfExists(file);
            }
            finished = true;
        }

        @Override
        public void suspend() {
            suspended.put(id, new HashState(sha, size));
            finished = true;
        }

        @Override
        public void cancel() throws IOException {
            abortUpload(id);
            finished = true;
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                cancel();
            }
        }
    }
}
