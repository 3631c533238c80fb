package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static io.sigil.registry.RegistryTestClient.admin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sigil.content.Signature;
import io.sigil.repository.RepositoryService;
import io.sigil.repository.VersionReader;
import io.sigil.signature.CosignSignatures;
import io.sigil.signature.OpenPgpSigner;
import io.sigil.signature.UntrustedCosignSignature;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What pushes put into repository versions: tags, deletes, mounts, referrers, cosign and atomic signatures. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class RegistryContentTest {

    private static final String EMPTY_CONFIG = "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    @Inject
    RepositoryService repositories;
    @Inject
    VersionReader reader;

    private int latestVersion(String name) {
        return QuarkusTransaction.requiringNew().call(() -> repositories.findByName(name).orElseThrow().latestVersion);
    }

    @Test
    void tagDeleteDropsTheTagAndDigestDeleteTheManifestEachInANewVersion() {
        String name = RegistryTestClient.uniqueName("delete");
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 1);
        image.push(name, "a").then().statusCode(201);
        image.push(name, "b").then().statusCode(201);
        image.push(name, "b").then().statusCode(201);
        assertEquals(2, latestVersion(name), "re-pushing an unchanged tag makes no version");

        admin(name).delete("/v2/" + name + "/manifests/a").then().statusCode(202);
        assertEquals(3, latestVersion(name));
        given().get("/v2/" + name + "/manifests/a").then().statusCode(404);
        given().get("/v2/" + name + "/manifests/b").then().statusCode(200);

        admin(name).delete("/v2/" + name + "/manifests/" + image.digest()).then().statusCode(202);
        assertEquals(4, latestVersion(name));
        given().get("/v2/" + name + "/manifests/b").then().statusCode(404);
        given().get("/v2/" + name + "/manifests/" + image.digest()).then().statusCode(404);
        given().get("/v2/" + name + "/tags/list").then().statusCode(200).body("tags", empty());
        admin(name).delete("/v2/" + name + "/manifests/a").then().statusCode(404).body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
    }

    @Test
    void mountLinksABlobTheCallerCanReadAndOtherwiseStartsAnUpload() {
        String from = RegistryTestClient.uniqueName("mount");
        String to = RegistryTestClient.uniqueName("mount");
        byte[] bytes = RegistryTestClient.randomBytes(300);
        String digest = RegistryTestClient.pushBlob(from, bytes);
        String token = RegistryTestClient.token("admin", "password", "repository:" + to + ":pull,push repository:" + from + ":pull");

        given().header("Authorization", "Bearer " + token).post("/v2/" + to + "/blobs/uploads/?mount=" + digest + "&from=" + from)
                .then().statusCode(201).header("Location", "/v2/" + to + "/blobs/" + digest).header("Docker-Content-Digest", digest);
        assertArrayEquals(bytes, RegistryTestClient.admin(to).get("/v2/" + to + "/blobs/" + digest).asByteArray());

        given().header("Authorization", "Bearer " + token).post("/v2/" + to + "/blobs/uploads/?mount=" + digest + "&from=not/there")
                .then().statusCode(202).header("Docker-Upload-UUID", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void tagsAndCatalogPageWithLinkHeaders() {
        String name = RegistryTestClient.uniqueName("paging");
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 1);
        for (String tag : List.of("e", "a", "d", "b", "c")) {
            image.push(name, tag).then().statusCode(201);
        }
        given().get("/v2/" + name + "/tags/list?n=2").then().statusCode(200).body("tags", contains("a", "b"))
                .header("Link", "</v2/" + name + "/tags/list?n=2&last=b>; rel=\"next\"");
        given().get("/v2/" + name + "/tags/list?n=2&last=b").then().body("tags", contains("c", "d"));
        given().get("/v2/" + name + "/tags/list?n=2&last=d").then().body("tags", contains("e")).header("Link", nullValue());
        given().get("/v2/" + name + "/tags/list?n=0").then().body("tags", empty());

        given().get("/v2/_catalog?n=1").then().statusCode(200).body("repositories", hasSize(1))
                .header("Link", org.hamcrest.Matchers.startsWith("</v2/_catalog?n=1&last="));
        List<String> after = given().get("/v2/_catalog?last=" + name).jsonPath().getList("repositories", String.class);
        assertTrue(after.stream().allMatch(r -> r.compareTo(name) > 0), after.toString());
        assertTrue(given().get("/v2/_catalog").jsonPath().getList("repositories", String.class).contains(name));
    }

    @Test
    void referrersListManifestsWhoseSubjectIsTheDigest() {
        String name = RegistryTestClient.uniqueName("referrers");
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 1);
        image.push(name, "v1").then().statusCode(201);
        RegistryTestClient.pushBlob(name, "{}".getBytes(StandardCharsets.UTF_8));
        String layer = RegistryTestClient.pushBlob(name, "sbom".getBytes(StandardCharsets.UTF_8));
        byte[] artifact = ("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryTestClient.OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/vnd.example.sbom\",\"config\":"
                + RegistryTestClient.descriptor("application/vnd.oci.empty.v1+json", EMPTY_CONFIG, 2) + ",\"layers\":["
                + RegistryTestClient.descriptor("text/spdx", layer, 4) + "],\"subject\":"
                + RegistryTestClient.descriptor(RegistryTestClient.OCI_MANIFEST, image.digest(), image.bytes().length)
                + ",\"annotations\":{\"org.example\":\"yes\"}}").getBytes(StandardCharsets.UTF_8);
        String artifactDigest = RegistryTestClient.sha(artifact);
        RegistryTestClient.putManifest(name, artifactDigest, artifact, RegistryTestClient.OCI_MANIFEST).then().statusCode(201)
                .header("OCI-Subject", image.digest());

        given().get("/v2/" + name + "/referrers/" + image.digest()).then().statusCode(200)
                .contentType("application/vnd.oci.image.index.v1+json")
                .header("OCI-Filters-Applied", nullValue())
                .body("schemaVersion", equalTo(2)).body("mediaType", equalTo("application/vnd.oci.image.index.v1+json"))
                .body("manifests", hasSize(1))
                .body("manifests[0].digest", equalTo(artifactDigest))
                .body("manifests[0].size", equalTo(artifact.length))
                .body("manifests[0].mediaType", equalTo(RegistryTestClient.OCI_MANIFEST))
                .body("manifests[0].artifactType", equalTo("application/vnd.example.sbom"))
                .body("manifests[0].annotations.'org.example'", equalTo("yes"));
        given().get("/v2/" + name + "/referrers/" + image.digest() + "?artifactType=application/other").then().statusCode(200)
                .header("OCI-Filters-Applied", "artifactType").body("manifests", empty());
        given().get("/v2/" + name + "/referrers/sha256:" + "1".repeat(64)).then().statusCode(200).body("manifests", empty());
        RegistryTestClient.admin("never/seen").get("/v2/never/seen/referrers/" + image.digest()).then().statusCode(404);
        given().get("/v2/never/seen/referrers/" + image.digest()).then().statusCode(401); // anonymous: as for a private name
    }

    @Test
    void cosignSigTagStoresOneSignaturePerParseableSimpleSigningLayer() {
        String name = RegistryTestClient.uniqueName("cosign");
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 1);
        image.push(name, "v1").then().statusCode(201);
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/" + name + "\"},\"image\":"
                + "{\"docker-manifest-digest\":\"" + image.digest() + "\"},\"type\":\"cosign container image signature\"},"
                + "\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        String good = RegistryTestClient.pushBlob(name, payload);
        String junk = RegistryTestClient.pushBlob(name, "not a payload".getBytes(StandardCharsets.UTF_8));
        String config = RegistryTestClient.pushBlob(name, "{\"cosign\":true}".getBytes(StandardCharsets.UTF_8));
        String simpleSigning = CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE;
        byte[] sig = ("{\"schemaVersion\":2,\"mediaType\":\"" + RegistryTestClient.OCI_MANIFEST + "\",\"config\":"
                + RegistryTestClient.descriptor("application/vnd.oci.image.config.v1+json", config, 15) + ",\"layers\":["
                + RegistryTestClient.descriptor(simpleSigning, good, payload.length)
                        .replaceFirst("}$", ",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"c2ln\"}}") + ","
                + RegistryTestClient.descriptor(simpleSigning, junk, 13) + "]}").getBytes(StandardCharsets.UTF_8);
        String sigTag = "sha256-" + image.digest().substring(7) + ".sig";
        RegistryTestClient.putManifest(name, sigTag, sig, RegistryTestClient.OCI_MANIFEST).then().statusCode(201);

        long repositoryId = QuarkusTransaction.requiringNew().call(() -> repositories.findByName(name).orElseThrow().id);
        List<VersionReader.SignatureData> stored = reader.signatures(repositoryId, null, image.digest(), "cosign");
        assertEquals(1, stored.size());
        UntrustedCosignSignature read = CosignSignatures.fromStorageForm(stored.get(0).data());
        assertArrayEquals(payload, read.payload());
        assertEquals("c2ln", read.annotations().get("dev.cosignproject.cosign/signature"));
        Signature unit = QuarkusTransaction.requiringNew().call(() -> {
            Signature s = Signature.find("signedDigest = ?1 and type = 'cosign'", image.digest()).firstResult();
            s.carrierManifest.digest.length(); // load inside the transaction
            return s;
        });
        assertEquals("example.com/" + name, unit.dockerReference);
        assertEquals(RegistryTestClient.sha(sig), unit.carrierManifest.digest);
        assertEquals(null, unit.keyId);
    }

    @Test
    void atomicSignaturesGoThroughTheExtensionApi() {
        String name = RegistryTestClient.uniqueName("atomic");
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 1);
        image.push(name, "v1").then().statusCode(201);
        String path = "/extensions/v2/" + name + "/signatures/" + image.digest();
        given().get(path).then().statusCode(200).body("signatures", empty())
                .header("X-Registry-Supports-Signatures", "1");
        given().get("/extensions/v2/" + name + "/signatures/sha256:" + "2".repeat(64)).then().statusCode(404)
                .body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
        admin(name).contentType("application/json").body("{\"schemaVersion\":2,\"type\":\"atomic\",\"content\":\"AAAA\"}")
                .put(path).then().statusCode(400).body("errors[0].code", equalTo("SIGNATURE_INVALID"));

        OpenPgpSigner signer = new OpenPgpSigner(OpenPgpSigner.generateKeyRing("test <t@example.com>", new char[0])
                .getSecretKey(), new char[0]);
        byte[] signature = signer.sign(("{\"critical\":{\"identity\":{\"docker-reference\":\"localhost/" + name + ":v1\"},"
                + "\"image\":{\"docker-manifest-digest\":\"" + image.digest() + "\"},\"type\":\"atomic container signature\"},"
                + "\"optional\":{}}").getBytes(StandardCharsets.UTF_8));
        String body = "{\"schemaVersion\":2,\"type\":\"atomic\",\"name\":\"" + image.digest() + "@" + "a".repeat(32)
                + "\",\"content\":\"" + Base64.getEncoder().encodeToString(signature) + "\"}";
        given().contentType("application/json").body(body).put(path).then().statusCode(401);
        admin(name).contentType("application/json").body(body).put(path).then().statusCode(201).header("Location", path);
        given().get(path).then().statusCode(200).body("signatures", hasSize(1))
                .body("signatures[0].schemaVersion", equalTo(2)).body("signatures[0].type", equalTo("atomic"))
                .body("signatures[0].content", equalTo(Base64.getEncoder().encodeToString(signature)));

        // Refused, each with a clear code and nothing stored: a duplicate, another type, a signature of another
        // manifest, and a signature over 4 MiB (413, never truncated).
        admin(name).contentType("application/json").body(body).put(path).then().statusCode(409)
                .body("errors[0].code", equalTo("SIGNATURE_EXISTS"));
        admin(name).contentType("application/json").body(body.replace("\"atomic\"", "\"cosign\"")).put(path)
                .then().statusCode(400).body("errors[0].code", equalTo("SIGNATURE_INVALID"));
        byte[] forOther = signer.sign(("{\"critical\":{\"identity\":{\"docker-reference\":\"localhost/" + name + ":v1\"},"
                + "\"image\":{\"docker-manifest-digest\":\"sha256:" + "3".repeat(64) + "\"},\"type\":\"atomic container signature\"},"
                + "\"optional\":{}}").getBytes(StandardCharsets.UTF_8));
        admin(name).contentType("application/json").body("{\"schemaVersion\":2,\"type\":\"atomic\",\"content\":\""
                        + Base64.getEncoder().encodeToString(forOther) + "\"}").put(path)
                .then().statusCode(400).body("errors[0].code", equalTo("SIGNATURE_INVALID"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("sha256:" + "3".repeat(64)));
        admin(name).contentType("application/json").body("{\"schemaVersion\":2,\"type\":\"atomic\",\"content\":\""
                        + Base64.getEncoder().encodeToString(new byte[4 * 1024 * 1024 + 1]) + "\"}").put(path)
                .then().statusCode(413);
        given().get(path).then().statusCode(200).body("signatures", hasSize(1));
    }
}
