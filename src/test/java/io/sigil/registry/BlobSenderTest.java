package io.sigil.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sigil.storage.Digest;
import io.sigil.storage.FileBlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.resteasy.reactive.PathPart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A blob file that orphan clean-up deletes between the store's lookup and the response answers 404, never 500. */
class BlobSenderTest {

    @TempDir
    Path root;

    @Test
    void aFileDeletedRightAfterTheLookupIsAClean404() throws IOException {
        byte[] bytes = "layer".getBytes(StandardCharsets.UTF_8);
        BlobSender sender = new BlobSender();
        sender.store = new FileBlobStore(root) {
            @Override
            public Optional<Path> file(Digest digest) {
                Optional<Path> found = super.file(digest);
                try {
                    super.delete(digest); // clean-up wins the race right here
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return found;
            }
        };
        Digest digest = sender.store.put(bytes);

        RegistryException refused = assertThrows(RegistryException.class,
                () -> sender.send(new RegistryPull.BlobContent(digest, bytes.length), null));
        assertEquals(RegistryError.BLOB_UNKNOWN, refused.error());
    }

    @Test
    void aStoredFileGoesOutAsAFilePart() throws IOException {
        BlobSender sender = new BlobSender();
        sender.store = new FileBlobStore(root);
        byte[] bytes = "layer".getBytes(StandardCharsets.UTF_8);
        Digest digest = sender.store.put(bytes);
        Object entity = sender.send(new RegistryPull.BlobContent(digest, bytes.length), "bytes=1-2").getEntity();
        assertEquals(PathPart.class, entity.getClass());
        assertEquals(2, ((PathPart) entity).count);
    }
}
