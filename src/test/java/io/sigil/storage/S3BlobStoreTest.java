package io.sigil.storage;

import io.sigil.testing.S3ProxyServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

/** The blob store contract against a real S3 server (s3proxy); each test gets its own key prefix. */
class S3BlobStoreTest extends BlobStoreContract {

    private static final int PART = (int) S3BlobStore.MIN_PART_SIZE;
    private static S3ProxyServer server;
    private static S3Client s3;
    private String prefix;

    @BeforeAll
    static void startServer() {
        server = new S3ProxyServer().started();
        s3 = server.settings().client();
    }

    @AfterAll
    static void stopServer() {
        s3.close();
        server.close();
    }

    @Override
    BlobStore store() {
        prefix = "test-" + UUID.randomUUID() + "/";
        return otherProcess();
    }

    @Override
    BlobStore otherProcess() {
        return new S3BlobStore(s3, S3ProxyServer.BUCKET, prefix, PART); // all its state is in the bucket
    }

    @Override
    long leftoverUploads() {
        long objects = s3.listObjectsV2Paginator(b -> b.bucket(S3ProxyServer.BUCKET).prefix(prefix + "uploads/")).contents().stream().count();
        long multipart = s3.listMultipartUploads(b -> b.bucket(S3ProxyServer.BUCKET).prefix(prefix)).uploads().size();
        return objects + multipart;
    }

    /** S3 write times have one-second resolution: the cut-off is the start of the next second. */
    @Override
    Instant ageAndCutoff(Digest digest) throws InterruptedException {
        Instant written = s3.headObject(b -> b.bucket(S3ProxyServer.BUCKET).key(prefix + "blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex()))
                .lastModified();
        Instant cutoff = written.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Thread.sleep(Math.max(0, cutoff.toEpochMilli() - System.currentTimeMillis()) + 50);
        return cutoff;
    }
}
