package io.sigil.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Chooses the blob store from configuration; the filesystem store is the default. */
@ApplicationScoped
public class BlobStoreProducer {

    @Produces
    @ApplicationScoped
    BlobStore blobStore(@ConfigProperty(name = "sigil.storage.path") Path root) {
        return new FileBlobStore(root);
    }
}
