package io.sigil.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sigil.content.ContentStore;
import io.sigil.content.Descriptor;
import io.sigil.content.ManifestParser;
import io.sigil.content.ParsedManifest;
import io.sigil.content.Signature;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Atomic signatures made by real tools become signature units only when they attach to their manifest. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SignatureIngestTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures/containers-image");
    static final String D1 = "sha256:20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55";

    @Inject
    ContentStore store;
    @Inject
    SignatureIngest ingest;

    @BeforeEach
    void storeTheSignedManifest() throws Exception {
        byte[] data = Files.readAllBytes(FIXTURES.resolve("image.manifest.json"));
        ParsedManifest parsed = ManifestParser.parse(data, null);
        QuarkusTransaction.requiringNew().run(() -> {
            for (Descriptor d : parsed.layers()) {
                store.blob(d.digest(), d.size());
            }
            store.blob(parsed.config().digest(), parsed.config().size());
            store.manifest(data, parsed);
        });
    }

    private Signature ingest(String manifestDigest, String fixture) throws Exception {
        byte[] blob = Files.readAllBytes(FIXTURES.resolve(fixture));
        return QuarkusTransaction.requiringNew().call(() -> ingest.atomic(manifestDigest, blob));
    }

    @Test
    void storesWhatTheSignatureSaysAndIsIdempotent() throws Exception {
        Signature s = ingest(D1, "image.signature");
        assertEquals("atomic", s.type);
        assertEquals(D1, s.signedDigest);
        assertEquals("E932F44B23E8DD43", s.keyId);
        assertEquals("testing/manifest", s.dockerReference);
        assertEquals(1458239713L, s.signedAt);
        assertEquals("atomic ", s.creator);
        assertTrue(s.name.startsWith(D1 + "@"), s.name);
        assertEquals(s.id, ingest(D1, "image.signature").id);
    }

    @Test
    void refusesASignatureOfAnotherManifest() throws Exception {
        String other = "sha256:" + "0".repeat(64);
        InvalidSignatureException e = assertThrows(InvalidSignatureException.class, () -> ingest(other, "image.signature"));
        assertTrue(e.getMessage().contains(D1), e.getMessage());
    }

    @Test
    void refusesWhatIsNotASignedMessage() {
        assertThrows(SignatureFormatException.class, () -> ingest(D1, "unsigned-literal.signature"));
        assertThrows(SignatureFormatException.class, () -> ingest(D1, "unsigned-encrypted.signature"));
        assertThrows(SignatureFormatException.class, () -> ingest(D1, "invalid-blob.signature"));
    }
}
