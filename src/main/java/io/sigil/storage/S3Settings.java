package io.sigil.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code sigil.storage.s3.*}: where the S3 blob store keeps blobs. Read only when {@code sigil.storage.type=s3}, so a
 * filesystem node needs none of it. Without an access key here the AWS default chain applies (AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY, ~/.aws, instance or pod roles).
 */
@ConfigMapping(prefix = "sigil.storage.s3")
public interface S3Settings {

    Optional<String> bucket();

    /** Key prefix inside the bucket, so several installations can share one. */
    @WithDefault("")
    Optional<String> prefix();

    /** For S3-compatible servers (MinIO, Ceph RGW, s3proxy); AWS itself needs none. */
    Optional<URI> endpoint();

    @WithDefault("us-east-1")
    String region();

    /** {@code http://host/bucket/key} rather than {@code http://bucket.host/key}; most S3-compatible servers want it. */
    @WithName("path-style")
    @WithDefault("false")
    boolean pathStyle();

    @WithName("access-key-id")
    Optional<String> accessKeyId();

    @WithName("secret-access-key")
    Optional<String> secretAccessKey();

    /** Bytes buffered and sent per multipart part (at least 5 MiB); one such buffer per upload in progress. */
    @WithName("part-size")
    @WithDefault("8388608")
    int partSize();

    default String requiredBucket() {
        return bucket().filter(b -> !b.isBlank()).orElseThrow(() -> new IllegalStateException(
                "sigil.storage.type=s3 needs sigil.storage.s3.bucket (SIGIL_STORAGE_S3_BUCKET)"));
    }

    /**
     * A client over the JDK's HttpURLConnection. Checksums only where S3 requires them: the SDK's default CRC
     * trailers on every upload are refused by several S3-compatible servers, and every blob is verified by its
     * SHA-256 anyway.
     */
    default S3Client client() {
        var builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(region()))
                .forcePathStyle(pathStyle()).credentialsProvider(credentials())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private AwsCredentialsProvider credentials() {
        if (accessKeyId().isPresent() && secretAccessKey().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId().get(), secretAccessKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
