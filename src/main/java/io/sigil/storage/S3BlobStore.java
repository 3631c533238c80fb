package io.sigil.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.crypto.digests.SHA256Digest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs in an S3-compatible bucket, shared by every Sigil process that names the same bucket and prefix.
 *
 * <pre>
 * prefix/blobs/sha256/ab/abcdef...   committed blobs, named by digest
 * prefix/uploads/&lt;uuid&gt;/state       a suspended upload: multipart id, parts done, size, SHA-256 state (JSON)
 * prefix/uploads/&lt;uuid&gt;/tail-&lt;n&gt;    its bytes not yet in a part (fewer than a part), n = upload size at suspension
 * prefix/uploads/&lt;uuid&gt;/data        where its multipart upload is assembled before the verified copy to blobs/
 * </pre>
 *
 * Where S3 differs from a filesystem:
 * <ul>
 * <li>Visibility: a PUT, a completed multipart upload and a server-side copy each make an object appear whole or not
 * at all. Bytes are hashed as they stream in and checked before anything is written under {@code blobs/}: a small blob
 * goes there with one PUT, a large one is assembled under {@code uploads/} and copied once its digest is verified.</li>
 * <li>Resuming elsewhere: parts of an unfinished multipart upload cannot be read back, so the SHA-256 state itself is
 * saved with the upload (BouncyCastle's encodable digest) and any process sharing the bucket can continue it.</li>
 * <li>Memory: at most one part (the part size) per active upload is buffered; parts must be 5 MiB or more except the
 * last, which is why chunks smaller than a part are kept as a tail object between requests.</li>
 * <li>Abandoned uploads: orphan clean-up aborts registry upload sessions past their expiry ({@link #abortUpload}),
 * then what no session names (an upload cut short by a crashed process) once as old ({@link #abortUploadsOlderThan});
 * a bucket lifecycle rule aborting incomplete multipart uploads is a backstop (see deploy/README.md).</li>
 * </ul>
 */
public class S3BlobStore implements BlobStore, AutoCloseable {

    /** S3's own limits: parts of at least 5 MiB (but the last), single copies of at most 5 GiB. */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    private static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    private static final long COPY_PART_SIZE = 1024L * 1024 * 1024;
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f-]{36}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UploadState NEW_UPLOAD = new UploadState(null, List.of(), 0, null, null);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int partSize;

    public S3BlobStore(S3Client s3, String bucket, String prefix, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 parts must be at least 5 MiB, not " + partSize + " bytes");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.partSize = partSize;
    }

    /** Closes the S3 client (its connection pool). */
    @Override
    public void close() {
        s3.close();
    }

    String keyOf(Digest digest) {
        return prefix + "blobs/" + digest.algorithm() + "/" + digest.hex().substring(0, 2) + "/" + digest.hex();
    }

    private String uploadKey(String id, String name) {
        return prefix + "uploads/" + id + "/" + name;
    }

    @Override
    public Optional<Long> size(Digest digest) {
        return head(keyOf(digest)).map(HeadObjectResponse::contentLength);
    }

    private Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) { // HEAD has no body, so the SDK cannot always tell NoSuchKey
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Copies the object onto itself with fresh metadata, which S3 counts as a new write (a self-copy must change
     * something). Unlike the filesystem's, this can land between clean-up's look at the write time and its delete
     * (see {@link #deleteIfWrittenBefore}); the caller then names a blob that is gone, the same tolerated race.
     */
    @Override
    public boolean refresh(Digest digest) {
        Optional<HeadObjectResponse> head = head(keyOf(digest));
        if (head.isEmpty()) {
            return false;
        }
        try {
            copy(keyOf(digest), keyOf(digest), head.get().contentLength());
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /**
     * A server-side copy, as a fresh write: metadata replaced, so that copying an object onto itself is allowed.
     * Beyond 5 GiB S3 only copies in parts.
     */
    private void copy(String from, String to, long size) {
        Map<String, String> written = Map.of("written", Instant.now().toString());
        if (size <= MAX_SINGLE_COPY) {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to)
                    .metadataDirective(MetadataDirective.REPLACE).metadata(written));
            return;
        }
        String copyId = s3.createMultipartUpload(b -> b.bucket(bucket).key(to).metadata(written)).uploadId();
        List<CompletedPart> copied = new ArrayList<>();
        for (long start = 0; start < size; start += COPY_PART_SIZE) {
            int number = copied.size() + 1;
            String range = "bytes=" + start + "-" + (Math.min(start + COPY_PART_SIZE, size) - 1);
            String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket)
                    .destinationKey(to).uploadId(copyId).partNumber(number).copySourceRange(range)).copyPartResult().eTag();
            copied.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(copyId).multipartUpload(m -> m.parts(copied)));
    }

    @Override
    public InputStream open(Digest digest, long offset) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(keyOf(digest)).range(offset > 0 ? "bytes=" + offset + "-" : null));
        } catch (NoSuchKeyException e) {
            throw new BlobNotFoundException(digest);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) { // offset at the very end: nothing left to read
                return InputStream.nullInputStream();
            }
            throw new IOException("cannot read " + digest + " from S3: " + e.getMessage(), e);
        }
    }

    @Override
    public BlobUpload beginUpload() {
        return new S3Upload(UUID.randomUUID().toString(), NEW_UPLOAD);
    }

    @Override
    public BlobUpload resumeUpload(String uploadId) throws IOException {
        if (!UPLOAD_ID.matcher(uploadId).matches()) {
            throw new UploadNotFoundException(uploadId);
        }
        UploadState state = savedState(uploadId).orElseThrow(() -> new UploadNotFoundException(uploadId));
        S3Upload upload = new S3Upload(uploadId, state);
        if (state.tail() != null) {
            try (InputStream tail = s3.getObject(b -> b.bucket(bucket).key(uploadKey(uploadId, state.tail())))) {
                upload.buffer(tail);
            }
        }
        return upload;
    }

    /** Without a saved state, still removes whatever objects the upload left (a tail saved just before a crash). */
    @Override
    public void abortUpload(String uploadId) throws IOException {
        if (UPLOAD_ID.matcher(uploadId).matches()) {
            new S3Upload(uploadId, savedState(uploadId).orElse(NEW_UPLOAD)).cancel();
        }
    }

    /**
     * Removes each upload under {@code uploads/} whose objects were all last written, and whose multipart uploads were
     * all initiated, before the cut-off: a suspended upload rewrites its state on every request, so one still in use
     * stays whole. Counts uploads by their id (a stray object directly under {@code uploads/} counts as one).
     */
    @Override
    public int abortUploadsOlderThan(Instant cutoff) throws IOException {
        String area = prefix + "uploads/";
        Map<String, Leftover> uploads = new HashMap<>();
        try {
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(area)).contents().forEach(o ->
                    uploads.computeIfAbsent(uploadOf(o.key(), area), id -> new Leftover()).object(o));
            s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(area)).uploads().forEach(u ->
                    uploads.computeIfAbsent(uploadOf(u.key(), area), id -> new Leftover()).multipart(u));
            int removed = 0;
            for (Leftover upload : uploads.values()) {
                if (upload.lastWritten.isBefore(cutoff)) {
                    upload.remove();
                    removed++;
                }
            }
            return removed;
        } catch (SdkException e) {
            throw new IOException("cannot clear old uploads from S3: " + e.getMessage(), e);
        }
    }

    /** The upload id in {@code uploads/<id>/...}. */
    private static String uploadOf(String key, String area) {
        String rest = key.substring(area.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** What one upload left under {@code uploads/}, and when it was last written to. */
    @Override
    public StorageStatus status() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return StorageStatus.answering("s3");
        } catch (SdkException e) {
            return StorageStatus.unreachable("s3", "bucket " + bucket + " does not answer: " + e.getMessage());
        }
    }

    private final class Leftover {
        private final List<String> keys = new ArrayList<>();
        private final List<MultipartUpload> multiparts = new ArrayList<>();
        private Instant lastWritten = Instant.MIN;

        void object(S3Object object) {
            keys.add(object.key());
            written(object.lastModified());
        }

        void multipart(MultipartUpload upload) {
            multiparts.add(upload);
            written(upload.initiated());
        }

        private void written(Instant at) {
            lastWritten = at.isAfter(lastWritten) ? at : lastWritten;
        }

        void remove() {
            for (MultipartUpload upload : multiparts) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                } catch (NoSuchUploadException e) {
                    // completed or aborted meanwhile
                }
            }
            keys.forEach(key -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
        }
    }

    private Optional<UploadState> savedState(String uploadId) throws IOException {
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(uploadKey(uploadId, "state")))) {
            return Optional.of(JSON.readValue(in, UploadState.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean delete(Digest digest) {
        boolean existed = head(keyOf(digest)).isPresent();
        s3.deleteObject(b -> b.bucket(bucket).key(keyOf(digest)));
        return existed;
    }

    /**
     * Check, then delete: S3 has no atomic move to take the object out of sight first as {@link FileBlobStore} does,
     * and a conditional delete on the ETag would not help since a fresh copy of the same bytes has the same ETag.
     *
     * <p>In a versioned bucket the delete names the version that was checked, so a copy written (or refreshed) after
     * the check is a newer version and survives: no race. In an unversioned bucket (and on s3proxy) there is one: bytes
     * published or refreshed between the HEAD and the DELETE (one round trip) are deleted. Garbage collection tolerates
     * it: it only gets here for a digest no row names and nobody wrote since the cut-off (the protection time, an hour
     * by default), holding the digest's advisory lock, so a writer's unit is created only after the delete; that unit
     * then names a blob that is gone and pulls of it fail until a sync or import brings it again (both store a blob
     * they cannot {@link #refresh}); a registry client is told by the database that it exists and does not push it.
     * Versioned buckets avoid this, at the price of a lifecycle rule expiring noncurrent versions.
     */
    @Override
    public long deleteIfWrittenBefore(Digest digest, Instant cutoff) {
        Optional<HeadObjectResponse> head = head(keyOf(digest));
        if (head.isEmpty() || !head.get().lastModified().isBefore(cutoff)) {
            return -1;
        }
        String version = head.get().versionId(); // null when the bucket is not versioned
        s3.deleteObject(b -> b.bucket(bucket).key(keyOf(digest)).versionId(version));
        return head.get().contentLength();
    }

    @Override
    public Stream<Digest> digests() {
        String blobs = prefix + "blobs/";
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(blobs)).contents().stream()
                .map(S3Object::key).map(key -> key.substring(blobs.length()))
                .map(rest -> rest.substring(0, rest.indexOf('/') < 0 ? 0 : rest.indexOf('/')) + ":" + rest.substring(rest.lastIndexOf('/') + 1))
                .filter(Digest::isValid).map(Digest::parse); // stray objects are none of our business
    }

    /** What a suspended upload keeps in S3; {@code sha256} is BouncyCastle's encoded digest state, base64. */
    record UploadState(String multipartId, List<Part> parts, long size, String sha256, String tail) {
    }

    record Part(int number, String etag, long size) {
    }

    private final class S3Upload extends VerifiedUpload {
        private final SHA256Digest sha;
        private final List<Part> parts;
        private String multipartId;
        private String previousTail;
        private byte[] buffer;
        private int buffered;
        private boolean finished;

        S3Upload(String id, UploadState state) {
            super(id, state.size());
            this.sha = state.sha256() == null ? new SHA256Digest() : new SHA256Digest(Base64.getDecoder().decode(state.sha256()));
            this.parts = new ArrayList<>(state.parts());
            this.multipartId = state.multipartId();
            this.previousTail = state.tail();
        }

        /** Restores the tail of a resumed upload; already counted in its size and hash. */
        void buffer(InputStream tail) throws IOException {
            fill(tail, false);
        }

        @Override
        public long write(InputStream data) throws IOException {
            long written = fill(data, true);
            size += written;
            return written;
        }

        /** Reads into the part buffer, sending each full part on; hashes as it goes unless the bytes were hashed. */
        private long fill(InputStream data, boolean hash) throws IOException {
            if (buffer == null) {
                buffer = new byte[partSize];
            }
            long read = 0;
            for (int n; (n = data.read(buffer, buffered, partSize - buffered)) >= 0; ) {
                if (hash) {
                    sha.update(buffer, buffered, n);
                }
                buffered += n;
                read += n;
                if (buffered == partSize) {
                    sendPart();
                }
            }
            return read;
        }

        private void sendPart() {
            if (multipartId == null) {
                multipartId = s3.createMultipartUpload(b -> b.bucket(bucket).key(uploadKey(id, "data"))).uploadId();
            }
            int number = parts.size() + 1;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(uploadKey(id, "data")).uploadId(multipartId).partNumber(number),
                    RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, buffered), buffered)).eTag();
            parts.add(new Part(number, etag, buffered));
            buffered = 0;
        }

        @Override
        protected Digest computed() {
            SHA256Digest copy = new SHA256Digest(sha);
            byte[] out = new byte[copy.getDigestSize()];
            copy.doFinal(out, 0);
            return new Digest(Digest.SHA256, HexFormat.of().formatHex(out));
        }

        /** Always writes, even over the same bytes: the fresh write time tells garbage collection they are wanted. */
        @Override
        protected void publish(Digest digest) throws IOException {
            try {
                if (multipartId == null) {
                    s3.putObject(b -> b.bucket(bucket).key(keyOf(digest)),
                            RequestBody.fromInputStream(new ByteArrayInputStream(buffer == null ? new byte[0] : buffer, 0, buffered), buffered));
                } else {
                    if (buffered > 0) {
                        sendPart();
                    }
                    List<CompletedPart> done = parts.stream().map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
                    s3.completeMultipartUpload(b -> b.bucket(bucket).key(uploadKey(id, "data")).uploadId(multipartId)
                            .multipartUpload(m -> m.parts(done)));
                    multipartId = null;
                    copy(uploadKey(id, "data"), keyOf(digest), size);
                }
            } catch (SdkException e) {
                cancel();
                throw new IOException("cannot store " + digest + " in S3: " + e.getMessage(), e);
            }
            deleteUploadObjects();
            finished = true;
        }

        /** Saves the tail, then the state naming it, so that a crash in between leaves the previous state intact. */
        @Override
        public void suspend() throws IOException {
            String tail = buffered > 0 ? "tail-" + size : null;
            if (tail != null && !tail.equals(previousTail)) {
                s3.putObject(b -> b.bucket(bucket).key(uploadKey(id, tail)),
                        RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, buffered), buffered));
            }
            String hash = Base64.getEncoder().encodeToString(sha.getEncodedState());
            byte[] state = JSON.writeValueAsBytes(new UploadState(multipartId, parts, size, hash, tail));
            s3.putObject(b -> b.bucket(bucket).key(uploadKey(id, "state")).contentType("application/json"), RequestBody.fromBytes(state));
            if (previousTail != null && !previousTail.equals(tail)) {
                s3.deleteObject(b -> b.bucket(bucket).key(uploadKey(id, previousTail)));
            }
            finished = true;
        }

        @Override
        public void cancel() throws IOException {
            finished = true;
            if (multipartId != null) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(uploadKey(id, "data")).uploadId(multipartId));
                } catch (NoSuchUploadException e) {
                    // already gone
                }
            }
            deleteUploadObjects();
        }

        private void deleteUploadObjects() throws IOException {
            try {
                s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + "uploads/" + id + "/")).contents()
                        .forEach(o -> s3.deleteObject(b -> b.bucket(bucket).key(o.key())));
            } catch (SdkException e) {
                throw new IOException("cannot remove upload " + id + " from S3: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                cancel();
            }
        }
    }
}
