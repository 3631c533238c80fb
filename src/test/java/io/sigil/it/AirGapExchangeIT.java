package io.sigil.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.common.DatabaseBootstrap;
import io.sigil.testing.OciLayout;
import io.sigil.storage.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The air-gapped flow on two Sigil processes with their own databases and storage: skopeo pushes an image to the
 * connected Sigil and signs it ({@code --sign-by}, a throwaway gpg key); the connected Sigil exports it; the
 * disconnected one imports it, and skopeo pulls it from there under a policy that requires the vendor's key. The
 * disconnected Sigil's own verdict, {@code gpg --verify} on the signature bytes it gives back in a new export, and
 * skopeo reading that export as an OCI archive are checked too.
 */
class AirGapExchangeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    private static final String OTHER_KEY = "0123456789ABCDEF0123456789ABCDEF01234567";

    @Test
    void aSignedImageCrossesTheGapAndStillVerifiesWithTheVendorsKey() throws Exception {
        String fingerprint = vendorKey();
        Path exchange = Files.createDirectories(work.resolve("exchange"));
        Map<String, String> env = Map.of("SIGIL_EXCHANGE_ALLOWED_EXPORT_PATHS", exchange.toString(),
                "SIGIL_EXCHANGE_ALLOWED_IMPORT_PATHS", exchange.toString(), "SIGIL_TASK_WORKERS", "1");

        String connectedDb = database();
        Path toc;
        Image image;
        try (SigilProcess connected = SigilProcess.start(connectedDb, Files.createDirectories(work.resolve("storage-a")), env)) {
            image = pushSigned(connected, fingerprint);
            trust(connected, fingerprint);
            // A key revoked in the connected zone (its scope holds nothing here): the revocation must cross the gap.
            JsonNode revoked = awaitTask(connected, field(connected.post("/pulp/api/v3/signatures/invalidate/", JSON.writeValueAsString(
                    Map.of("key", OTHER_KEY, "reason", "compromised upstream", "manifests", List.of("sha256:" + "0".repeat(64))))), "task"));
            assertEquals("completed", revoked.get("state").asText(), revoked.toString());
            String repository = field(connected.get("/pulp/api/v3/repositories/container/container/?name=vendor/app"), "pulp_href");
            String exporter = field(connected.post("/pulp/api/v3/exporters/core/pulp/", "{\"name\":\"to-gap\",\"path\":\""
                    + exchange.resolve("out") + "\",\"repositories\":[\"" + repository + "\"]}"), "pulp_href");
            JsonNode task = awaitTask(connected, field(connected.post(exporter + "exports/", "{\"chunk_size\":\"2KB\"}"), "task"));
            toc = Path.of(task.at("/result/toc").asText());
            assertTrue(task.at("/result/chunks").asInt() > 1, task.toString());
        }

        try (SigilProcess disconnected = SigilProcess.start(database(), Files.createDirectories(work.resolve("storage-b")), env)) {
            String importer = field(disconnected.post("/pulp/api/v3/importers/core/pulp/",
                    "{\"name\":\"from-gap\",\"repo_mapping\":{\"vendor/app\":\"mirror/app\"}}"), "pulp_href");
            JsonNode imported = awaitTask(disconnected, field(disconnected.post(importer + "imports/",
                    "{\"path\":\"" + toc + "\",\"create_repositories\":true}"), "task"));
            assertEquals("completed", imported.get("state").asText(), imported.toString());
            assertEquals("openpgp " + fingerprint + " (vendor)", imported.at("/result/keys_not_trusted_here/0").asText());
            JsonNode listed = JSON.readTree(disconnected.get("/pulp/api/v3/revoked-keys/").body()).at("/results/0");
            assertEquals(OTHER_KEY, listed.get("identity").asText(), listed.toString());
            assertEquals("compromised upstream", listed.get("reason").asText());
            assertTrue(listed.get("note").asText().startsWith("imported from " + toc.getFileName()), listed.toString());
            trust(disconnected, fingerprint);

            String repository = field(disconnected.get("/pulp/api/v3/repositories/container/container/?name=mirror/app"), "pulp_href");
            field(disconnected.post("/pulp/api/v3/distributions/container/container/", "{\"name\":\"mirror\",\"base_path\":"
                    + "\"mirror/app\",\"repository\":\"" + repository + "\"}"), "pulp_href");
            pullRequiresTheVendorsKey(disconnected, fingerprint, image);

            String exporter = field(disconnected.post("/pulp/api/v3/exporters/core/pulp/", "{\"name\":\"back\",\"path\":\""
                    + exchange.resolve("back") + "\",\"repositories\":[\"" + repository + "\"]}"), "pulp_href");
            JsonNode export = awaitTask(disconnected, field(disconnected.post(exporter + "exports/", "{\"oci_layout\":true}"), "task"));
            Path archive = Path.of(export.at("/result/toc").asText().replace("-toc.json", ".tar"));
            byte[] signature = entry(archive, "lookaside/mirror/app@sha256=" + Digest.parse(image.digest()).hex() + "/signature-1");
            assertEquals(0, gpg("--verify", Files.write(work.resolve("signature-1"), signature).toString()), "gpg --verify");
            Path copied = work.resolve("from-archive");
            assertEquals(0, run(List.of("skopeo", "copy", "--policy", acceptAnything().toString(),
                    "oci-archive:" + archive + ":mirror/app:1.0", "dir:" + copied)), "skopeo reads the export as an OCI archive");
            assertArrayEquals(image.manifest(), Files.readAllBytes(copied.resolve("manifest.json")));
        }
    }

    /** The pushed image, and the reference it was signed for (the connected Sigil's address). */
    record Image(String digest, byte[] manifest, String signedReference) {
    }

    /** A throwaway vendor key in a temporary GNUPGHOME; returns its fingerprint. */
    private String vendorKey() throws Exception {
        assertEquals(0, gpg("--passphrase", "", "--quick-gen-key", "Vendor <vendor@example.com>", "rsa2048", "sign", "never"));
        String colons = gpgOut("--with-colons", "--list-keys", "vendor@example.com");
        return colons.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
    }

    /** skopeo pushes an OCI layout image to the connected Sigil and signs it there with the vendor's key. */
    private Image pushSigned(SigilProcess sigil, String fingerprint) throws Exception {
        OciLayout layout = new OciLayout(work.resolve("vendor-layout"), 8);
        OciLayout.Blob manifest = layout.taggedImage("1.0", 2);
        assertEquals(0, run(List.of("skopeo", "copy", "--policy", acceptAnything().toString(), "--dest-tls-verify=false",
                "--dest-creds", "admin:password", "--sign-by", fingerprint, "oci:" + layout.dir() + ":1.0",
                "docker://" + signedReference(sigil))), "skopeo copy --sign-by");
        return new Image(manifest.digest(), manifest.bytes(), signedReference(sigil));
    }

    private static String signedReference(SigilProcess connected) {
        return "127.0.0.1:" + connected.port + "/vendor/app:1.0";
    }

    /** Trusts the vendor's key and waits for the signature's verdict to become valid. */
    private void trust(SigilProcess sigil, String fingerprint) throws Exception {
        sigil.post("/pulp/api/v3/trusted-keys/", JSON.writeValueAsString(Map.of("name", "vendor", "type", "openpgp",
                "public_key", gpgOut("--armor", "--export", fingerprint))));
        assertEquals("valid", awaitVerdict(sigil));
    }

    /** Pulls from the disconnected Sigil: accepted with the vendor's key, refused when the policy wants another key. */
    private void pullRequiresTheVendorsKey(SigilProcess sigil, String fingerprint, Image image) throws Exception {
        Path vendorKey = Files.writeString(work.resolve("vendor.asc"), gpgOut("--export", "--armor", fingerprint));
        String source = "docker://127.0.0.1:" + sigil.port + "/mirror/app:1.0";
        Path pulled = work.resolve("pulled");
        assertEquals(0, run(List.of("skopeo", "copy", "--src-tls-verify=false", "--policy", signedBy(vendorKey, image).toString(),
                source, "dir:" + pulled)), "skopeo pull under a signedBy policy");
        assertArrayEquals(image.manifest(), Files.readAllBytes(pulled.resolve("manifest.json")));

        assertEquals(0, gpg("--passphrase", "", "--quick-gen-key", "Other <other@example.com>", "rsa2048", "sign", "never"));
        Path otherKey = Files.writeString(work.resolve("other.asc"), gpgOut("--export", "--armor", "other@example.com"));
        assertTrue(run(List.of("skopeo", "copy", "--src-tls-verify=false", "--policy", signedBy(otherKey, image).toString(),
                source, "dir:" + work.resolve("refused"))) != 0, "the same pull is refused when another key is required");
    }

    /** Requires a signature by the key for the identity the vendor signed (on the connected side). */
    private Path signedBy(Path key, Image image) throws IOException {
        return Files.writeString(work.resolve("policy-" + key.getFileName() + ".json"), "{\"default\":[{\"type\":\"reject\"}],"
                + "\"transports\":{\"docker\":{\"\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"" + key
                + "\",\"signedIdentity\":{\"type\":\"exactReference\",\"dockerReference\":\"" + image.signedReference() + "\"}}]}}}");
    }

    private Path acceptAnything() throws IOException {
        return Files.writeString(work.resolve("accept.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
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
