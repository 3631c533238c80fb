package io.sigil.lifecycle;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.common.Sql;
import io.sigil.content.Blob;
import io.sigil.content.ContentStore;
import io.sigil.content.ContentUnit;
import io.sigil.content.Manifest;
import io.sigil.content.ManifestParser;
import io.sigil.content.Signature;
import io.sigil.content.Tag;
import io.sigil.repository.Repository;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.VersionChange;
import io.sigil.repository.VersionWriter;
import io.sigil.signature.AtomicSignatures;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.OpenPgpSigner;
import io.sigil.signature.SignatureIngest;
import io.sigil.signature.UntrustedCosignSignature;
import io.sigil.storage.BlobStore;
import io.sigil.storage.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Repositories, real blobs with files, and real atomic and cosign signatures, for the lifecycle tests. */
@ApplicationScoped
public class LifecycleFixtures {

    @Inject
    ContentStore store;
    @Inject
    BlobStore blobs;
    @Inject
    SignatureIngest ingest;
    @Inject
    RepositoryService repositories;
    @Inject
    VersionWriter writer;
    @Inject
    EntityManager em;

    @ConfigProperty(name = "sigil.storage.path")
    String storage;

    public Repository repository(String namespace) {
        return repositories.create(namespace + "/app-" + UUID.randomUUID().toString().substring(0, 8), null, null);
    }

    public void add(Repository repository, ContentUnit... units) {
        write(repository, VersionChange.adding(Arrays.stream(units).map(u -> u.id).collect(Collectors.toSet())));
    }

    /** Writes a version (the writer applies retention), as the repository tasks do. */
    public void write(Repository repository, VersionChange change) {
        QuarkusTransaction.requiringNew().run(() -> writer.write(repository.id, change, null));
    }

    public Set<Long> latest(Repository repository) {
        return QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> new HashSet<>(sql.query(
                "SELECT content_id FROM repository_content WHERE repository_id = ? AND version_removed IS NULL",
                rs -> rs.getLong(1), repository.id))));
    }

    public Set<Long> latestExceptBlobs(Repository repository) {
        return QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql -> new HashSet<>(sql.query(
                "SELECT content_id FROM repository_content WHERE repository_id = ? AND version_removed IS NULL "
                        + "AND pulp_type <> 'container.blob'", rs -> rs.getLong(1), repository.id))));
    }

    public int latestVersion(Repository repository) {
        return QuarkusTransaction.requiringNew().call(() -> Repository.<Repository>findById(repository.id).latestVersion);
    }

    public boolean exists(ContentUnit unit) {
        return QuarkusTransaction.requiringNew().call(() -> Sql.with(em, sql ->
                !sql.query("SELECT 1 FROM content WHERE id = ?", rs -> 1, unit.id).isEmpty()));
    }

    /** A blob stored as a file, with its unit. */
    public Blob blob() {
        return blob(("blob " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
    }

    public Blob blob(byte[] bytes) {
        try {
            Digest digest = blobs.put(bytes);
            return QuarkusTransaction.requiringNew().call(() -> store.blob(digest, bytes.length));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file(String digest) {
        Digest d = Digest.parse(digest);
        return Path.of(storage, "blobs", d.algorithm(), d.hex().substring(0, 2), d.hex());
    }

    /** An image manifest over a config and layers (OCI); {@code subject} makes it a referrer. */
    public Manifest image(Manifest subject, Blob config, Blob... layers) {
        return manifest(imageJson(subject, config, Arrays.stream(layers).map(l -> layer(l, "application/vnd.oci.image.layer.v1.tar+gzip", null))
                .toList()));
    }

    public Manifest image() {
        return image(null, blob(), blob());
    }

    public Manifest manifest(String json) {
        byte[] data = json.getBytes(StandardCharsets.UTF_8);
        return QuarkusTransaction.requiringNew().call(() -> store.manifest(data, ManifestParser.parse(data, null)));
    }

    static String imageJson(Manifest subject, Blob config, List<String> layers) {
        return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config.digest
                + "\",\"size\":" + config.size + "},\"layers\":[" + String.join(",", layers) + "],"
                + (subject == null ? "" : "\"subject\":{\"mediaType\":\"" + subject.mediaType + "\",\"digest\":\"" + subject.digest
                + "\",\"size\":" + subject.data.length + "},")
                + "\"annotations\":{\"n\":\"" + UUID.randomUUID() + "\"}}";
    }

    static String layer(Blob blob, String mediaType, String signature) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + blob.digest + "\",\"size\":" + blob.size
                + (signature == null ? "" : ",\"annotations\":{\"" + CosignSignatures.SIGNATURE_ANNOTATION + "\":\"" + signature + "\"}")
                + "}";
    }

    public Signature atomic(Manifest manifest, OpenPgpSigner signer) {
        byte[] signature = signer.sign(AtomicSignatures.payload("example.com/app:v1", manifest.digest, null, null));
        return QuarkusTransaction.requiringNew().call(() -> ingest.atomic(manifest.digest, signature));
    }

    public static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(KeyPair key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** A cosign {@code .sig} manifest for {@code subject} with one layer per key, tagged, and its signature units. */
    public Cosign cosign(Manifest subject, KeyPair... keys) {
        return withUnits(subject, cosignLayers(subject, keys));
    }

    /** A signature referrer: an OCI manifest whose subject is {@code subject}, one cosign layer per key, untagged. */
    public Cosign cosignReferrer(Manifest subject, KeyPair... keys) {
        return withUnits(subject, carrier(subject, true, keys));
    }

    private Cosign withUnits(Manifest subject, Cosign stored) {
        List<Signature> units = stored.layers().stream().map(layer -> QuarkusTransaction.requiringNew().call(() ->
                ingest.cosign(subject.digest, layer, null, stored.carrier().digest))).toList();
        return new Cosign(stored.carrier(), stored.tag(), stored.layers(), units);
    }

    /** The tagged {@code .sig} manifest alone: its layers are not signature units yet. */
    public Cosign cosignLayers(Manifest subject, KeyPair... keys) {
        return carrier(subject, false, keys);
    }

    private Cosign carrier(Manifest subject, boolean referrer, KeyPair... keys) {
        List<String> descriptors = new ArrayList<>();
        List<UntrustedCosignSignature> layers = new ArrayList<>();
        for (KeyPair key : keys) {
            byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/app\"},\"image\":{"
                    + "\"docker-manifest-digest\":\"" + subject.digest + "\"},\"type\":\"cosign container image signature\"},"
                    + "\"optional\":{\"n\":\"" + UUID.randomUUID() + "\"}}").getBytes(StandardCharsets.UTF_8);
            String signature = Base64.getEncoder().encodeToString(sign(key, payload));
            descriptors.add(layer(blob(payload), CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, signature));
            layers.add(new UntrustedCosignSignature(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, payload,
                    Map.of(CosignSignatures.SIGNATURE_ANNOTATION, signature)));
        }
        Manifest carrier = manifest(imageJson(referrer ? subject : null, blob("{}".getBytes(StandardCharsets.UTF_8)), descriptors));
        if (referrer) {
            return new Cosign(carrier, null, layers, List.of());
        }
        String tagName = subject.digest.replace(':', '-') + ".sig";
        Tag tag = QuarkusTransaction.requiringNew().call(() -> store.tag(tagName, Manifest.findById(carrier.id)));
        return new Cosign(carrier, tag, layers, List.of());
    }

    public record Cosign(Manifest carrier, Tag tag, List<UntrustedCosignSignature> layers, List<Signature> signatures) {
    }

    static byte[] sign(KeyPair key, byte[] payload) {
        try {
            java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
            signer.initSign(key.getPrivate());
            signer.update(payload);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes units look unused for {@code minutes}, and their files that old. */
    public void age(int minutes, ContentUnit... units) {
        QuarkusTransaction.requiringNew().run(() -> Sql.with(em, sql -> sql.update(
                "UPDATE content SET timestamp_of_interest = now() - make_interval(mins => ?) WHERE id = ANY(?)", minutes,
                sql.ids(Arrays.stream(units).map(u -> u.id).toList()))));
        for (ContentUnit unit : units) {
            if (unit instanceof Blob b) {
                ageFile(b.digest, minutes);
            }
        }
    }

    public void ageFile(String digest, int minutes) {
        try {
            Files.setLastModifiedTime(file(digest), FileTime.from(Instant.now().minusSeconds(60L * minutes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
