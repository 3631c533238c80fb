package io.sigil.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.common.DatabaseBootstrap;
import io.sigil.signing.AtomicSignatures;
import io.sigil.storage.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The air-gapped flow on two Sigil processes with their own databases and storage: a vendor image signed with a
 * throwaway gpg key is held by the connected Sigil, exported, imported by the disconnected one, and still verifies
 * there with the vendor's key: by Sigil's own verdict, by {@code gpg --verify} on the bytes the second Sigil gives
 * back, and by skopeo under a {@code signedBy} policy.
 */
class AirGapExchangeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REFERENCE = "example.com/vendor/app:1.0";

    private final List<String> databases = new ArrayList<>();
    private Path work;
    private Path gnupg;

    @BeforeEach
    void requirements() throws Exception {
        assumeTrue(Files.exists(SigilProcess.JAR), "needs the packaged application (runs in the integration-test phase)");
        assumeTrue(run(List.of("gpg", "--version")) == 0 && run(List.of("skopeo", "--version")) == 0, "needs gpg and skopeo");
        work = Files.createTempDirectory("sigil-airgap");
        gnupg = Files.createDirectories(Path.of("/tmp", "sg-" + UUID.randomUUID().toString().substring(0, 8)));
        Files.setPosixFilePermissions(gnupg, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        databases.forEach(url -> DatabaseBootstrap.dropDatabase(url, "postgres"));
        run(List.of("gpgconf", "--homedir", gnupg.toString(), "--kill", "gpg-agent"));
    }

    @Test
    void aSignedImageCrossesTheGapAndStillVerifiesWithTheVendorsKey() throws Exception {
        String fingerprint = vendorKey();
        Path exchange = Files.createDirectories(work.resolve("exchange"));
        Map<String, String> env = Map.of("SIGIL_EXCHANGE_ALLOWED_EXPORT_PATHS", exchange.toString(),
                "SIGIL_EXCHANGE_ALLOWED_IMPORT_PATHS", exchange.toString(), "SIGIL_TASK_WORKERS", "1");

        String connectedDb = database();
        Path connectedStorage = Files.createDirectories(work.resolve("storage-a"));
        Path toc;
        Image image;
        try (SigilProcess connected = SigilProcess.start(connectedDb, connectedStorage, env)) {
            String repository = field(connected.post("/pulp/api/v3/repositories/container/container/", "{\"name\":\"vendor/app\"}"), "pulp_href");
            image = seedSignedImage(connectedDb, connectedStorage, repository);
            connected.post("/pulp/api/v3/trusted-keys/", JSON.writeValueAsString(Map.of("name", "vendor", "type", "openpgp",
                    "public_key", gpgOut("--armor", "--export", fingerprint))));
            assertEquals("valid", awaitVerdict(connected));
            String exporter = field(connected.post("/pulp/api/v3/exporters/core/pulp/", "{\"name\":\"to-gap\",\"path\":\""
                    + exchange.resolve("out") + "\",\"repositories\":[\"" + repository + "\"]}"), "pulp_href");
            JsonNode task = awaitTask(connected, field(connected.post(exporter + "exports/", "{\"chunk_size\":\"2KB\"}"), "task"));
            toc = Path.of(task.at("/result/toc").asText());
            assertTrue(task.at("/result/chunks").asInt() > 1, task.toString());
        }

        String gapDb = database();
        Path gapStorage = Files.createDirectories(work.resolve("storage-b"));
        try (SigilProcess disconnected = SigilProcess.start(gapDb, gapStorage, env)) {
            String importer = field(disconnected.post("/pulp/api/v3/importers/core/pulp/",
                    "{\"name\":\"from-gap\",\"repo_mapping\":{\"vendor/app\":\"mirror/app\"}}"), "pulp_href");
            JsonNode imported = awaitTask(disconnected, field(disconnected.post(importer + "imports/",
                    "{\"path\":\"" + toc + "\",\"create_repositories\":true}"), "task"));
            assertEquals("completed", imported.get("state").asText(), imported.toString());
            assertEquals(List.of("openpgp " + fingerprint + " (vendor)"), List.of(imported.at("/result/keys_not_trusted_here/0").asText()));

            // Sigil's own verdict, once the disconnected side trusts the vendor's key.
            String armored = gpgOut("--armor", "--export", fingerprint);
            disconnected.post("/pulp/api/v3/trusted-keys/", JSON.writeValueAsString(Map.of("name", "vendor", "type", "openpgp",
                    "public_key", armored)));
            assertEquals("valid", awaitVerdict(disconnected));

            // The bytes the disconnected Sigil gives back verify with gpg and with skopeo under a signedBy policy.
            String repository = field(disconnected.get("/pulp/api/v3/repositories/container/container/?name=mirror/app"), "pulp_href");
            String exporter = field(disconnected.post("/pulp/api/v3/exporters/core/pulp/", "{\"name\":\"back\",\"path\":\""
                    + exchange.resolve("back") + "\",\"repositories\":[\"" + repository + "\"]}"), "pulp_href");
            JsonNode export = awaitTask(disconnected, field(disconnected.post(exporter + "exports/", "{\"oci_layout\":true}"), "task"));
            Path archive = Path.of(export.at("/result/toc").asText().replace("-toc.json", ".tar"));
            byte[] signature = entry(archive, "lookaside/mirror/app@sha256=" + Digest.parse(image.digest()).hex() + "/signature-1");
            assertArrayEquals(image.signature(), signature);
            Path signatureFile = Files.write(work.resolve("signature-1"), signature);
            assertEquals(0, gpg("--verify", signatureFile.toString()), "gpg --verify");
            skopeoVerifies(archive, signature, fingerprint, image);
        }
    }

    record Image(String digest, byte[] manifest, byte[] signature) {
    }

    /** A throwaway vendor key in a temporary GNUPGHOME; returns its fingerprint. */
    private String vendorKey() throws Exception {
        assertEquals(0, gpg("--passphrase", "", "--quick-gen-key", "Vendor <vendor@example.com>", "rsa2048", "sign", "never"));
        String colons = gpgOut("--with-colons", "--list-keys", "vendor@example.com");
        return colons.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
    }

    /**
     * Stores an image (config and layer blobs in storage, the manifest, tag 1.0 and a gpg-made atomic signature) as
     * version 1 of the connected repository, the way a sync would leave it.
     */
    private Image seedSignedImage(String jdbcUrl, Path storage, String repositoryHref) throws Exception {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = new byte[5000];
        new Random().nextBytes(layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar", layer) + "]}").getBytes(StandardCharsets.UTF_8);
        String digest = Digest.sha256Of(manifest).toString();
        Path payload = Files.write(work.resolve("payload.json"), AtomicSignatures.payload(REFERENCE, digest, "vendor", 1_700_000_000L));
        Path signed = work.resolve("payload.sig");
        assertEquals(0, gpg("--local-user", "vendor@example.com", "--output", signed.toString(), "--sign", payload.toString()));
        byte[] signature = Files.readAllBytes(signed);
        for (byte[] blob : List.of(config, layer)) {
            String hex = Digest.sha256Of(blob).hex();
            Files.write(Files.createDirectories(storage.resolve("blobs/sha256/" + hex.substring(0, 2))).resolve(hex), blob);
        }
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            db.setAutoCommit(false);
            long configId = unit(db, "container.blob", "INSERT INTO blob (id, digest, size) VALUES (?, ?, ?)",
                    Digest.sha256Of(config).toString(), (long) config.length);
            long layerId = unit(db, "container.blob", "INSERT INTO blob (id, digest, size) VALUES (?, ?, ?)",
                    Digest.sha256Of(layer).toString(), (long) layer.length);
            long manifestId = unit(db, "container.manifest", "INSERT INTO manifest (id, digest, media_type, schema_version, kind, "
                    + "data, config_blob_id) VALUES (?, ?, 'application/vnd.oci.image.manifest.v1+json', 2, 'image', ?, ?)",
                    digest, manifest, configId);
            execute(db, "INSERT INTO manifest_blob (manifest_id, blob_id) VALUES (?, ?), (?, ?)", manifestId, configId, manifestId, layerId);
            long tagId = unit(db, "container.tag", "INSERT INTO tag (id, name, manifest_id) VALUES (?, '1.0', ?)", manifestId);
            long signatureId = unit(db, "container.signature", "INSERT INTO signature (id, signed_manifest_id, signed_digest, type, "
                    + "name, digest, data) VALUES (?, ?, ?, 'atomic', ?, ?, ?)", manifestId, digest, digest + "@vendor",
                    Digest.sha256Of(signature).toString(), signature);
            String uuid = repositoryHref.replaceAll(".*/container/container/([^/]+)/$", "$1");
            for (long id : List.of(configId, layerId, manifestId, tagId, signatureId)) {
                execute(db, "INSERT INTO repository_content (repository_id, content_id, pulp_type, version_added) "
                        + "SELECT r.id, c.id, c.pulp_type, 1 FROM repository r, content c WHERE r.pulp_id = ?::uuid AND c.id = ?", uuid, id);
            }
            execute(db, "INSERT INTO repository_version (pulp_id, repository_id, number, base_version) "
                    + "SELECT gen_random_uuid(), id, 1, 0 FROM repository WHERE pulp_id = ?::uuid", uuid);
            execute(db, "UPDATE repository SET latest_version = 1 WHERE pulp_id = ?::uuid", uuid);
            db.commit();
        }
        return new Image(digest, manifest, signature);
    }

    /** skopeo reads the archive as an OCI layout and, given the signature, accepts it only as signed by the vendor. */
    private void skopeoVerifies(Path archive, byte[] signature, String fingerprint, Image image) throws Exception {
        Path accept = Files.writeString(work.resolve("accept.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        Path unsigned = work.resolve("unsigned");
        assertEquals(0, run(List.of("skopeo", "copy", "--policy", accept.toString(), "oci-archive:" + archive + ":mirror/app:1.0",
                "dir:" + unsigned)), "skopeo copy from the OCI layout");
        assertArrayEquals(image.manifest(), Files.readAllBytes(unsigned.resolve("manifest.json")));
        Files.write(unsigned.resolve("signature-1"), signature);
        Path key = work.resolve("vendor.gpg");
        Files.writeString(key, gpgOut("--export", "--armor", fingerprint));
        Path policy = Files.writeString(work.resolve("policy.json"), "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"dir\":{\"\":"
                + "[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"" + key + "\",\"signedIdentity\":"
                + "{\"type\":\"exactReference\",\"dockerReference\":\"" + REFERENCE + "\"}}]}}}");
        assertEquals(0, run(List.of("skopeo", "copy", "--policy", policy.toString(), "dir:" + unsigned, "dir:" + work.resolve("verified"))),
                "skopeo copy under a signedBy policy");
        // The same payload signed by another key is refused: the policy really checks the vendor's key.
        assertEquals(0, gpg("--passphrase", "", "--quick-gen-key", "Other <other@example.com>", "rsa2048", "sign", "never"));
        Path forged = work.resolve("forged.sig");
        assertEquals(0, gpg("--local-user", "other@example.com", "--output", forged.toString(), "--sign",
                work.resolve("payload.json").toString()));
        Files.copy(forged, unsigned.resolve("signature-1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(run(List.of("skopeo", "copy", "--policy", policy.toString(), "dir:" + unsigned, "dir:" + work.resolve("refused"))) != 0,
                "the same policy refuses a signature by another key");
    }

    private static long unit(Connection db, String type, String insert, Object... values) throws Exception {
        long id;
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO content (pulp_id, pulp_type) VALUES (gen_random_uuid(), ?) RETURNING id")) {
            ps.setString(1, type);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        Object[] all = new Object[values.length + 1];
        all[0] = id;
        System.arraycopy(values, 0, all, 1, values.length);
        execute(db, insert, all);
        return id;
    }

    private static void execute(Connection db, String sql, Object... values) throws Exception {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    private static String descriptor(String mediaType, byte[] blob) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256Of(blob) + "\",\"size\":" + blob.length + "}";
    }

    private static byte[] entry(Path tar, String name) throws IOException {
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream entries = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = entries.getNextEntry()) != null; ) {
                if (e.getName().equals(name)) {
                    return entries.readAllBytes();
                }
            }
        }
        throw new AssertionError("no " + name + " in " + tar);
    }

    private String database() {
        String url = "jdbc:postgresql://127.0.0.1:5432/sigil_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        DatabaseBootstrap.createDatabaseIfMissing(url, "postgres", "");
        databases.add(url);
        return url;
    }

    private String awaitVerdict(SigilProcess sigil) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        String state = "";
        while (System.currentTimeMillis() < deadline) {
            JsonNode page = JSON.readTree(sigil.get("/pulp/api/v3/content/container/signatures/").body());
            state = page.at("/results/0/verification/state").asText();
            if (state.equals("valid")) {
                return state;
            }
            Thread.sleep(200);
        }
        return state;
    }

    private static JsonNode awaitTask(SigilProcess sigil, String href) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode task = JSON.readTree(sigil.get(href).body());
            String state = task.get("state").asText();
            if (!List.of("waiting", "running", "canceling").contains(state)) {
                return task;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("task " + href + " did not finish");
    }

    private static String field(java.net.http.HttpResponse<String> response, String name) throws IOException {
        JsonNode json = JSON.readTree(response.body());
        JsonNode value = json.has("results") ? json.at("/results/0/" + name) : json.get(name);
        if (value == null || value.isMissingNode()) {
            throw new AssertionError("no " + name + " in " + response.statusCode() + " " + response.body());
        }
        return value.asText();
    }

    private int gpg(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", gnupg.toString(), "--batch", "--no-tty",
                "--pinentry-mode", "loopback"));
        command.addAll(List.of(arguments));
        return run(command);
    }

    private String gpgOut(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", gnupg.toString(), "--batch", "--no-tty"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private int run(List<String> command) throws Exception {
        Map<String, String> env = new HashMap<>();
        if (gnupg != null) {
            env.put("GNUPGHOME", gnupg.toString());
        }
        Path log = Files.createTempFile("sigil-airgap-cmd", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        if (process.exitValue() != 0) {
            System.err.println(String.join(" ", command) + ":\n" + Files.readString(log));
        }
        return process.exitValue();
    }
}
