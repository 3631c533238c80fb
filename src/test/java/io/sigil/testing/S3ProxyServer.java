package io.sigil.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server (s3proxy, in this JVM, objects in a temporary directory) with one bucket, checking AWS signatures.
 * As a Quarkus test resource it switches the application to {@code sigil.storage.type=s3}.
 */
public class S3ProxyServer implements QuarkusTestResourceLifecycleManager, AutoCloseable {

    public static final String ACCESS_KEY = "sigil-test";
    public static final String SECRET_KEY = "sigil-test-secret";
    public static final String BUCKET = "sigil-blobs";

    private S3Proxy proxy;
    private Path dir;

    public S3ProxyServer started() {
        try {
            dir = Files.createTempDirectory("sigil-s3proxy");
            Properties properties = new Properties();
            properties.setProperty("jclouds.filesystem.basedir", dir.toString());
            proxy = S3Proxy.builder().blobStore(BlobStores.create("filesystem", properties))
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(10);
            }
            try (S3Client s3 = settings().client()) {
                s3.createBucket(b -> b.bucket(BUCKET));
            }
            return this;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start s3proxy: " + e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** The settings a Sigil process would be given, as configuration. */
    public Map<String, String> configuration(String prefix) {
        return Map.of("sigil.storage.type", "s3", "sigil.storage.s3.bucket", BUCKET, "sigil.storage.s3.prefix", prefix,
                "sigil.storage.s3.endpoint", endpoint().toString(), "sigil.storage.s3.path-style", "true",
                "sigil.storage.s3.access-key-id", ACCESS_KEY, "sigil.storage.s3.secret-access-key", SECRET_KEY,
                "sigil.storage.s3.part-size", String.valueOf(5 * 1024 * 1024));
    }

    public io.sigil.storage.S3Settings settings() {
        return TestS3Settings.of(endpoint());
    }

    @Override
    public Map<String, String> start() {
        started();
        return configuration("run-" + UUID.randomUUID() + "/");
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public void close() {
        try {
            proxy.stop();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop s3proxy: " + e.getMessage(), e);
        }
    }
}
