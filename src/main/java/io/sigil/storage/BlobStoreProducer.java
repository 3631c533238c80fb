package io.sigil.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the blob store from {@code sigil.storage.type}: {@code filesystem} (the default, under
 * {@code sigil.storage.path}) or {@code s3} (an S3-compatible bucket, {@code sigil.storage.s3.*}). Processes that
 * share a database must share the blob store too: the same directory (a shared filesystem) or the same bucket and prefix.
 */
@ApplicationScoped
public class BlobStoreProducer {

    @Produces
    @ApplicationScoped
    BlobStore blobStore(@ConfigProperty(name = "sigil.storage.type", defaultValue = "filesystem") String type,
            @ConfigProperty(name = "sigil.storage.path") Path root, S3Settings s3) {
        return switch (type) {
            case "filesystem" -> new FileBlobStore(root);
            case "s3" -> new S3BlobStore(s3.client(), s3.requiredBucket(), s3.prefix().orElse(""), s3.partSize());
            default -> throw new IllegalStateException("sigil.storage.type must be filesystem or s3, not '" + type + "'");
        };
    }

    void close(@Disposes BlobStore store) throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
