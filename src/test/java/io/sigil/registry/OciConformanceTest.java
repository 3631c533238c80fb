package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sigil.testing.PostgresDatabaseResource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OCI distribution spec v1.1 (spec.md) walked workflow by workflow, as its conformance suite (conformance/01–04 at
 * v1.1.1, and the newer suite's range and chunk rules) does: pull, push (monolithic, single POST, streamed and chunked
 * with Content-Range, cancel, cross-repository mount), content discovery (tag list with n/last and Link, referrers
 * with the artifactType filter) and content management (tag, manifest and blob delete). Each test uses its own
 * repository; status codes, Location, Range, Docker-Content-Digest, OCI-Subject and OCI-Filters-Applied are checked
 * against the spec's words, which the comments quote.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class OciConformanceTest {

    private static final String OCTETS = "application/octet-stream";
    private static final String OCI_MANIFEST = RegistryTestClient.OCI_MANIFEST;
    private static final String OCI_INDEX = RegistryTestClient.OCI_INDEX;
    private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String EMPTY_JSON = "application/vnd.oci.empty.v1+json";
    /** The conformance suite's digest of something never pushed. */
    private static final String DUMMY = RegistryTestClient.sha("hello world".getBytes(StandardCharsets.UTF_8));
    /** The conformance suite's reference that is neither a tag nor a digest. */
    private static final String INVALID_REFERENCE = ".INVALID_MANIFEST_NAME";
    /** The spec's error codes (plus distribution's, which the spec's legacy note allows). */
    private static final List<String> SPEC_CODES = List.of("BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN",
            "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "NAME_INVALID", "NAME_UNKNOWN",
            "SIZE_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED", "TOOMANYREQUESTS", "TAG_INVALID",
            "PAGINATION_NUMBER_INVALID");
    private static final Pattern LINK = Pattern.compile("<([^>]+)>; rel=\"next\"");

    // ---------------------------------------------------------------- pull

    @Test
    void pull() {
        Repo repo = new Repo();
        Image image = repo.pushImage("tagtest0");
        // "If the response is 200 OK, then the registry implements this specification" (with a token: auth is allowed).
        repo.as().get("/v2/").then().statusCode(200);

        // Pulling blobs: 200 with the bytes and a Docker-Content-Digest matching them; 404 when not found.
        repo.as().head("/v2/" + repo.name + "/blobs/" + DUMMY).then().statusCode(404);
        repo.as().get("/v2/" + repo.name + "/blobs/" + DUMMY).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UNKNOWN"));
        repo.as().head("/v2/" + repo.name + "/blobs/" + image.configDigest).then().statusCode(200)
                .header("Docker-Content-Digest", image.configDigest)
                .header("Content-Length", String.valueOf(image.config.length));
        Response blob = repo.as().get("/v2/" + repo.name + "/blobs/" + image.configDigest);
        blob.then().statusCode(200).header("Docker-Content-Digest", image.configDigest);
        assertArrayEquals(image.config, blob.asByteArray());

        // Pulling manifests, by digest and by tag: 200, the exact bytes, the pushed Content-Type, the digest header.
        for (String reference : new String[] {image.digest(), "tagtest0"}) {
            repo.as().accept(OCI_MANIFEST).head("/v2/" + repo.name + "/manifests/" + reference).then().statusCode(200)
                    .header("Docker-Content-Digest", image.digest()).contentType(OCI_MANIFEST)
                    .header("Content-Length", String.valueOf(image.bytes.length));
            Response manifest = repo.as().accept(OCI_MANIFEST).get("/v2/" + repo.name + "/manifests/" + reference);
            manifest.then().statusCode(200).header("Docker-Content-Digest", image.digest()).contentType(OCI_MANIFEST);
            assertArrayEquals(image.bytes, manifest.asByteArray());
        }
        // "If the manifest is not found in the repository, the response code MUST be 404 Not Found."
        repo.as().head("/v2/" + repo.name + "/manifests/" + INVALID_REFERENCE).then().statusCode(404);
        repo.as().get("/v2/" + repo.name + "/manifests/" + INVALID_REFERENCE).then().statusCode(404)
                .body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
        repo.as().get("/v2/" + repo.name + "/manifests/missing-tag").then().statusCode(404);
        repo.as().get("/v2/" + repo.name + "/manifests/" + DUMMY).then().statusCode(404);
        // The suite's "400 response body should contain OCI-conforming JSON message": 400 or 404, a spec code if 400.
        Response wrong = repo.as().get("/v2/" + repo.name + "/manifests/sha256:totallywrong");
        wrong.then().statusCode(anyOf(equalTo(400), equalTo(404))).body("errors[0].code", in(SPEC_CODES));
        // "An attempt to pull a nonexistent repository MUST return response code 404 Not Found."
        String never = RegistryTestClient.uniqueName("never"); // asked by a user: anonymous callers get 401 for any unknown name
        RegistryTestClient.admin(never).get("/v2/" + never + "/manifests/latest").then().statusCode(404)
                .body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void blobRangeRequests() {
        // "A registry SHOULD support the Range request header in accordance with RFC 9110" (the newer suite's cases).
        Repo repo = new Repo();
        byte[] bytes = RegistryTestClient.randomBytes(2048);
        String digest = repo.postPut(bytes);
        String url = "/v2/" + repo.name + "/blobs/" + digest;
        record Case(String range, int from, int to) {
        }
        for (Case c : List.of(new Case("bytes=500-1499", 500, 1499), new Case("bytes=500-", 500, 2047),
                new Case("bytes=-500", 1548, 2047), new Case("bytes=2000-5000", 2000, 2047))) {
            Response part = repo.as().header("Range", c.range).get(url);
            part.then().statusCode(206).header("Content-Range", "bytes " + c.from + "-" + c.to + "/2048")
                    .header("Content-Length", String.valueOf(c.to - c.from + 1));
            assertArrayEquals(Arrays.copyOfRange(bytes, c.from, c.to + 1), part.asByteArray(), c.range);
        }
        repo.as().header("Range", "bytes=500-0").get(url).then().statusCode(416);
        repo.as().header("Range", "bytes=5000-10000").get(url).then().statusCode(416).header("Content-Range", "bytes */2048");
    }

    // ---------------------------------------------------------------- push

    @Test
    void pushMonolithic() {
        Repo repo = new Repo();
        byte[] config = config();
        String digest = RegistryTestClient.sha(config);
        repo.as().get("/v2/" + repo.name + "/blobs/" + DUMMY).then().statusCode(404);

        // POST then PUT: "the response MUST have a code of 202 Accepted, and MUST include ... Location" with a UUID.
        Response post = repo.as().post("/v2/" + repo.name + "/blobs/uploads/");
        post.then().statusCode(202).header("Location", matchesPattern("/v2/" + repo.name + "/blobs/uploads/[0-9a-f-]{36}"));
        // "Upon successful completion ... 201 Created and MUST have the header Location: <blob-location>", pullable.
        Response put = repo.as().contentType(OCTETS).body(config).put(post.header("Location") + "?digest=" + digest);
        put.then().statusCode(201).header("Location", "/v2/" + repo.name + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);
        assertArrayEquals(config, repo.as().get(put.header("Location")).asByteArray());

        // Single POST with ?digest=: 201 (or 202) with a Location; then the blob is pullable.
        byte[] layer = RegistryTestClient.randomBytes(700);
        String layerDigest = RegistryTestClient.sha(layer);
        Response single = repo.as().contentType(OCTETS).body(layer).post("/v2/" + repo.name + "/blobs/uploads/?digest=" + layerDigest);
        single.then().statusCode(201).header("Location", "/v2/" + repo.name + "/blobs/" + layerDigest);
        repo.as().get("/v2/" + repo.name + "/blobs/" + layerDigest).then().statusCode(200);

        // "Likewise, the <digest> MUST match the blob's digest": a mismatch is DIGEST_INVALID and stores nothing.
        repo.as().contentType(OCTETS).body(layer).post("/v2/" + repo.name + "/blobs/uploads/?digest=" + DUMMY)
                .then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
        String session = repo.as().post("/v2/" + repo.name + "/blobs/uploads/").header("Location");
        repo.as().contentType(OCTETS).body(layer).put(session + "?digest=" + DUMMY).then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));
        repo.as().get("/v2/" + repo.name + "/blobs/" + DUMMY).then().statusCode(404);
        repo.as().contentType(OCTETS).body(layer).put(repo.as().post("/v2/" + repo.name + "/blobs/uploads/").header("Location"))
                .then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID")); // no digest at all
    }

    @Test
    void pushStreamedAndChunked() {
        Repo repo = new Repo();
        // Streamed: a PATCH without Content-Range is 202, and the closing PUT with the digest 201.
        byte[] blobA = RegistryTestClient.randomBytes(42);
        String location = repo.as().post("/v2/" + repo.name + "/blobs/uploads/").header("Location");
        Response streamed = repo.as().contentType(OCTETS).body(blobA).patch(location);
        streamed.then().statusCode(202).header("Location", not(emptyOrNullString())).header("Range", "0-41");
        repo.as().contentType(OCTETS).put(streamed.header("Location") + "?digest=" + RegistryTestClient.sha(blobA))
                .then().statusCode(201).header("Location", not(emptyOrNullString()));

        // Chunked, as the suite does it: 3 chunks of a 4000-byte blob.
        byte[] blobB = RegistryTestClient.randomBytes(4000);
        String digestB = RegistryTestClient.sha(blobB);
        Response post = repo.as().post("/v2/" + repo.name + "/blobs/uploads/"); // Content-Length: 0, as the spec asks
        post.then().statusCode(202).header("Range", "0-0");
        String upload = post.header("Location");
        // "If a chunk is uploaded out of order, the registry MUST respond with a 416" — the first must begin with 0.
        patch(repo, upload, blobB, 1500, 2999).then().statusCode(416);
        // "Each successful chunk upload MUST have a 202 Accepted response code, and MUST have Location and Range: 0-<end>".
        Response first = patch(repo, upload, blobB, 0, 1499);
        first.then().statusCode(202).header("Range", "0-1499").header("Location", not(emptyOrNullString()));
        // Sending the same chunk again is out of order too; the upload is kept.
        patch(repo, upload, blobB, 0, 1499).then().statusCode(416).header("Range", "0-1499");
        // "The response to an active upload <location> MUST be a 204 No Content ... Location ... Range: 0-<end-of-range>".
        Response status = repo.as().get(upload);
        status.then().statusCode(204).header("Range", "0-1499").header("Location", not(emptyOrNullString()));
        Response second = patch(repo, status.header("Location"), blobB, 1500, 2999);
        second.then().statusCode(202).header("Range", "0-2999");
        // A last chunk in the closing PUT follows the same rule: out of order is 416 and the upload stays.
        repo.as().contentType(OCTETS).header("Content-Range", "3500-3999").body(Arrays.copyOfRange(blobB, 3500, 4000))
                .put(second.header("Location") + "?digest=" + digestB).then().statusCode(416).header("Range", "0-2999");
        Response closed = repo.as().contentType(OCTETS).header("Content-Range", "3000-3999")
                .body(Arrays.copyOfRange(blobB, 3000, 4000)).put(second.header("Location") + "?digest=" + digestB);
        closed.then().statusCode(201).header("Location", "/v2/" + repo.name + "/blobs/" + digestB)
                .header("Docker-Content-Digest", digestB);
        assertArrayEquals(blobB, repo.as().get(closed.header("Location")).asByteArray());
        // The session is closed now.
        repo.as().get(upload).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));

        // The chunk range "MUST match ^[0-9]+-[0-9]+$": anything else is refused; a chunk longer than its range too.
        String other = repo.as().post("/v2/" + repo.name + "/blobs/uploads/").header("Location");
        repo.as().contentType(OCTETS).header("Content-Range", "bytes=a-b").body(new byte[4]).patch(other).then().statusCode(416);
        // Cancelling: 204, then the upload is unknown.
        String cancelled = repo.as().post("/v2/" + repo.name + "/blobs/uploads/").header("Location");
        repo.as().delete(cancelled).then().statusCode(204);
        repo.as().get(cancelled).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
    }

    @Test
    void crossRepositoryMount() {
        Repo source = new Repo();
        Repo target = new Repo();
        byte[] bytes = RegistryTestClient.randomBytes(42);
        String digest = source.postPut(bytes);
        String both = RegistryTestClient.token("admin", "password",
                "repository:" + target.name + ":pull,push repository:" + source.name + ":pull");
        RequestSpecification asBoth = given().header("Authorization", "Bearer " + both);

        // Without from: the registry does not look elsewhere, so it starts an upload (202 with a Location).
        asBoth.post("/v2/" + target.name + "/blobs/uploads/?mount=" + DUMMY).then().statusCode(202)
                .header("Location", startsWith("/v2/" + target.name + "/blobs/uploads/"));
        given().header("Authorization", "Bearer " + both).post("/v2/" + target.name + "/blobs/uploads/?mount=" + digest)
                .then().statusCode(202);
        // "The response to a successful mount MUST be 201 Created, and MUST contain Location: <blob-location>".
        Response mounted = given().header("Authorization", "Bearer " + both)
                .post("/v2/" + target.name + "/blobs/uploads/?mount=" + digest + "&from=" + source.name);
        mounted.then().statusCode(201).header("Location", "/v2/" + target.name + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);
        assertArrayEquals(bytes, given().header("Authorization", "Bearer " + both).get(mounted.header("Location")).asByteArray());
        // A blob the source does not hold: "SHOULD return a 202", an upload session in the target.
        given().header("Authorization", "Bearer " + both)
                .post("/v2/" + target.name + "/blobs/uploads/?mount=" + DUMMY + "&from=" + source.name)
                .then().statusCode(202).header("Location", startsWith("/v2/" + target.name + "/blobs/uploads/"));
        // A source the caller may not pull from is no source.
        target.as().post("/v2/" + target.name + "/blobs/uploads/?mount=" + digest + "&from=" + source.name).then().statusCode(202);
    }

    @Test
    void pushManifests() {
        Repo repo = new Repo();
        Image image = repo.image();
        repo.as().get("/v2/" + repo.name + "/manifests/" + INVALID_REFERENCE).then().statusCode(404);
        // "Upon a successful upload, the registry MUST return response code 201 Created, and MUST have Location";
        // Docker-Content-Digest "MUST be equal to the client provided digest".
        for (int i = 0; i < 4; i++) {
            Response put = repo.putManifest("test" + i, image.bytes, OCI_MANIFEST);
            put.then().statusCode(201).header("Location", "/v2/" + repo.name + "/manifests/" + image.digest())
                    .header("Docker-Content-Digest", image.digest()).header("OCI-Subject", nullValue());
            assertArrayEquals(image.bytes, repo.as().get(put.header("Location")).asByteArray());
        }
        // A manifest with no layers and no mediaType field, and one pushed by digest.
        String noLayers = "{\"schemaVersion\":2,\"config\":" + image.configDescriptor + ",\"layers\":[]}";
        repo.putManifest("emptylayer", bytes(noLayers), OCI_MANIFEST).then().statusCode(201);
        repo.putManifest(RegistryTestClient.sha(bytes(noLayers)), bytes(noLayers), OCI_MANIFEST).then().statusCode(201)
                .header("Docker-Content-Digest", RegistryTestClient.sha(bytes(noLayers)));
        repo.as().accept(OCI_MANIFEST).get("/v2/" + repo.name + "/manifests/" + image.digest()).then().statusCode(200);

        // The digest in the URL must be the manifest's (the newer suite's "sha256:baddigeststring" too).
        repo.putManifest(DUMMY, image.bytes, OCI_MANIFEST).then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
        repo.putManifest("sha256:baddigeststring", image.bytes, OCI_MANIFEST).then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));
        repo.putManifest(INVALID_REFERENCE, image.bytes, OCI_MANIFEST).then().statusCode(400)
                .body("errors[0].code", in(SPEC_CODES));
        // "it MUST result in one or more MANIFEST_BLOB_UNKNOWN errors".
        String unknownLayer = "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + image.configDescriptor
                + ",\"layers\":[" + RegistryTestClient.descriptor(OCI_LAYER, DUMMY, 11) + "]}";
        repo.putManifest("broken", bytes(unknownLayer), OCI_MANIFEST).then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_BLOB_UNKNOWN"));
        repo.putManifest("broken", bytes("blablabla"), OCI_MANIFEST).then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_INVALID"));
        // "SHOULD respond to a request to push a manifest over this limit with a response code 413".
        byte[] huge = new byte[4 * 1024 * 1024 + 1];
        Arrays.fill(huge, (byte) ' ');
        repo.putManifest("huge", huge, OCI_MANIFEST).then().statusCode(413);
        repo.as().get("/v2/" + repo.name + "/manifests/broken").then().statusCode(404);
    }

    // ---------------------------------------------------------------- content discovery

    @Test
    void tagListPagination() {
        Repo repo = new Repo();
        Image image = repo.image();
        List<String> tags = List.of("a1", "b2", "c3", "d4", "e5");
        for (String tag : List.of("c3", "a1", "e5", "b2", "d4")) {
            repo.putManifest(tag, image.bytes, OCI_MANIFEST).then().statusCode(201);
        }
        // "this request MUST return a 200 OK response code ... the tags MUST be in lexical order".
        repo.as().get("/v2/" + repo.name + "/tags/list").then().statusCode(200).contentType("application/json")
                .body("name", equalTo(repo.name)).body("tags", equalTo(tags)).header("Link", nullValue());
        // n: "Otherwise, the response MUST include <int> results"; a Link with rel="next" leads on, page by page.
        List<String> seen = new ArrayList<>();
        String next = "/v2/" + repo.name + "/tags/list?n=2";
        int pages = 0;
        while (next != null) {
            Response page = repo.as().urlEncodingEnabled(false).get(next);
            page.then().statusCode(200);
            List<String> got = page.jsonPath().getList("tags");
            assertTrue(got.size() <= 2);
            seen.addAll(got);
            String link = page.header("Link");
            next = link == null ? null : linkTarget(link);
            pages++;
        }
        assertEquals(tags, seen);
        assertEquals(3, pages);
        // "When n is zero, this endpoint MUST return an empty list, and MUST NOT include a Link header."
        repo.as().get("/v2/" + repo.name + "/tags/list?n=0").then().statusCode(200).body("tags", hasSize(0))
                .header("Link", nullValue());
        // last: "up to <int> tags *after* <tagname>"; n is optional with last.
        repo.as().get("/v2/" + repo.name + "/tags/list?n=2&last=b2").then().statusCode(200).body("tags", equalTo(List.of("c3", "d4")));
        repo.as().get("/v2/" + repo.name + "/tags/list?last=c3").then().statusCode(200).body("tags", equalTo(List.of("d4", "e5")));
        repo.as().get("/v2/" + repo.name + "/tags/list?n=5").then().statusCode(200).body("tags", equalTo(tags))
                .header("Link", nullValue());
        String never = RegistryTestClient.uniqueName("never"); // asked by a user: anonymous callers get 401 for any unknown name
        RegistryTestClient.admin(never).get("/v2/" + never + "/tags/list").then().statusCode(404)
                .body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void referrers() {
        Repo repo = new Repo();
        String typeA = "application/vnd.nhl.peanut.butter.bagel";
        String typeB = "application/vnd.nba.strawberry.jam.croissant";
        String emptyDigest = repo.postPut(bytes("{}"));
        String emptyDescriptor = RegistryTestClient.descriptor(EMPTY_JSON, emptyDigest, 2);
        byte[] refBlobA = bytes("NHL Peanut Butter on my NHL bagel");
        byte[] refBlobB = bytes("NBA Strawberry Jam on my NBA croissant");
        String refA = repo.postPut(refBlobA);
        Image subject = repo.image();
        Image neverPushed = repo.image();
        String subjectDescriptor = RegistryTestClient.descriptor(OCI_MANIFEST, subject.digest(), subject.bytes.length);

        // Referrers pushed before their subject exists: "A registry MUST initially accept" them, with OCI-Subject.
        byte[] aConfig = artifact(null, RegistryTestClient.descriptor(typeA, refA, refBlobA.length), emptyDescriptor,
                subjectDescriptor, "test config a");
        byte[] aLayer = artifact(typeA, emptyDescriptor, RegistryTestClient.descriptor(typeA, refA, refBlobA.length),
                subjectDescriptor, "test layer a");
        byte[] index = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"artifactType\":\"application/vnd.food.stand\","
                + "\"manifests\":[" + RegistryTestClient.descriptor(OCI_MANIFEST, RegistryTestClient.sha(aConfig), aConfig.length) + ","
                + RegistryTestClient.descriptor(OCI_MANIFEST, RegistryTestClient.sha(aLayer), aLayer.length) + "],\"subject\":"
                + subjectDescriptor + ",\"annotations\":{\"org.opencontainers.conformance.test\":\"test index\"}}");
        for (byte[] referrer : List.of(aConfig, aLayer)) {
            repo.putManifest(RegistryTestClient.sha(referrer), referrer, OCI_MANIFEST).then().statusCode(201)
                    .header("OCI-Subject", subject.digest());
        }
        repo.putManifest(RegistryTestClient.sha(index), index, OCI_INDEX).then().statusCode(201).header("OCI-Subject", subject.digest());
        repo.putManifest("tagtest0", subject.bytes, OCI_MANIFEST).then().statusCode(201);
        String refB = repo.postPut(refBlobB);
        byte[] bConfig = artifact(null, RegistryTestClient.descriptor(typeB, refB, refBlobB.length), emptyDescriptor,
                subjectDescriptor, "test config b");
        byte[] bLayer = artifact(typeB, emptyDescriptor, RegistryTestClient.descriptor(typeB, refB, refBlobB.length),
                subjectDescriptor, "test layer b");
        byte[] cLayer = artifact(typeB, emptyDescriptor, RegistryTestClient.descriptor(typeB, refB, refBlobB.length),
                RegistryTestClient.descriptor(OCI_MANIFEST, neverPushed.digest(), neverPushed.bytes.length), null);
        for (byte[] referrer : List.of(bConfig, bLayer)) {
            repo.putManifest(RegistryTestClient.sha(referrer), referrer, OCI_MANIFEST).then().statusCode(201)
                    .header("OCI-Subject", subject.digest());
        }
        repo.putManifest(RegistryTestClient.sha(cLayer), cLayer, OCI_MANIFEST).then().statusCode(201)
                .header("OCI-Subject", neverPushed.digest());

        // No referrers: 200 with an empty index, never 404; Content-Type "MUST be application/vnd.oci.image.index.v1+json".
        repo.as().get("/v2/" + repo.name + "/referrers/" + DUMMY).then().statusCode(200).contentType(OCI_INDEX)
                .body("schemaVersion", equalTo(2)).body("mediaType", equalTo(OCI_INDEX)).body("manifests", hasSize(0));
        // Every referrer, with artifactType (the manifest's, else its config media type) and its annotations.
        JsonPath all = repo.as().get("/v2/" + repo.name + "/referrers/" + subject.digest()).then().statusCode(200)
                .contentType(OCI_INDEX).header("OCI-Filters-Applied", nullValue()).extract().jsonPath();
        assertEquals(5, all.getList("manifests").size());
        Map<String, String> expected = Map.of(RegistryTestClient.sha(aConfig), typeA, RegistryTestClient.sha(aLayer), typeA,
                RegistryTestClient.sha(bConfig), typeB, RegistryTestClient.sha(bLayer), typeB,
                RegistryTestClient.sha(index), "application/vnd.food.stand");
        for (Map<String, Object> d : all.<Map<String, Object>>getList("manifests")) {
            String digest = (String) d.get("digest");
            assertEquals(expected.get(digest), d.get("artifactType"), digest);
            assertEquals(1, ((Map<?, ?>) d.get("annotations")).size(), digest);
            assertNotNull(d.get("size"));
            assertEquals(digest.equals(RegistryTestClient.sha(index)) ? OCI_INDEX : OCI_MANIFEST, d.get("mediaType"));
        }
        // "If filtering is requested and applied, the response MUST include a header OCI-Filters-Applied: artifactType".
        repo.as().queryParam("artifactType", typeA).get("/v2/" + repo.name + "/referrers/" + subject.digest()).then()
                .statusCode(200).header("OCI-Filters-Applied", "artifactType").body("manifests", hasSize(2))
                .body("manifests.digest", containsInAnyOrder(RegistryTestClient.sha(aConfig), RegistryTestClient.sha(aLayer)));
        // A subject that was never pushed still lists its referrer.
        repo.as().get("/v2/" + repo.name + "/referrers/" + neverPushed.digest()).then().statusCode(200)
                .body("manifests.digest", equalTo(List.of(RegistryTestClient.sha(cLayer))));
        // "If the request is invalid, such as a <digest> with an invalid syntax, a 400 Bad Request MUST be returned."
        repo.as().get("/v2/" + repo.name + "/referrers/sha256:nothex").then().statusCode(400);
        // Deleting a referrer takes it out of the list.
        repo.as().delete("/v2/" + repo.name + "/manifests/" + RegistryTestClient.sha(bLayer)).then().statusCode(202);
        repo.as().get("/v2/" + repo.name + "/referrers/" + subject.digest()).then().body("manifests", hasSize(4));
    }

    // ---------------------------------------------------------------- content management

    @Test
    void deleteTagsAndManifests() {
        Repo repo = new Repo();
        Image image = repo.pushImage("tagtest0");
        repo.putManifest("other", image.bytes, OCI_MANIFEST).then().statusCode(201);
        Image second = repo.pushImage("second");
        int tags = repo.as().get("/v2/" + repo.name + "/tags/list").jsonPath().getList("tags").size();

        // Deleting a tag: 202; "Once deleted, a GET to /v2/<name>/manifests/<tag> will return a 404."
        repo.as().delete("/v2/" + repo.name + "/manifests/tagtest0").then().statusCode(202);
        repo.as().get("/v2/" + repo.name + "/manifests/tagtest0").then().statusCode(404);
        repo.as().get("/v2/" + repo.name + "/manifests/" + image.digest()).then().statusCode(200);
        repo.as().get("/v2/" + repo.name + "/tags/list").then().body("tags", hasSize(tags - 1));
        // Deleting a manifest: 202; then it and "any tag pointing to that digest will return a 404".
        repo.as().delete("/v2/" + repo.name + "/manifests/" + image.digest()).then().statusCode(202);
        repo.as().get("/v2/" + repo.name + "/manifests/" + image.digest()).then().statusCode(404);
        repo.as().get("/v2/" + repo.name + "/manifests/other").then().statusCode(404);
        repo.as().get("/v2/" + repo.name + "/tags/list").then().body("tags", equalTo(List.of("second")));
        repo.as().delete("/v2/" + repo.name + "/manifests/" + image.digest()).then().statusCode(404);
        repo.as().delete("/v2/" + repo.name + "/manifests/" + INVALID_REFERENCE).then().statusCode(404);
        // "If the repository does not exist, the response MUST return 404 Not Found."
        Repo nowhere = new Repo();
        nowhere.as().delete("/v2/" + nowhere.name + "/manifests/" + second.digest()).then().statusCode(404)
                .body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void deleteBlobs() {
        Repo repo = new Repo();
        Image image = repo.pushImage("v1");
        byte[] loose = RegistryTestClient.randomBytes(64);
        String looseDigest = repo.postPut(loose);

        // A blob a kept manifest needs cannot go: 409, and it stays.
        repo.as().delete("/v2/" + repo.name + "/blobs/" + image.configDigest).then().statusCode(409)
                .body("errors[0].code", in(SPEC_CODES)).body("errors[0].message", not(emptyOrNullString()));
        repo.as().get("/v2/" + repo.name + "/blobs/" + image.configDigest).then().statusCode(200);
        // A pending blob, and a blob of the version once its manifest is gone: 202, then 404.
        repo.as().delete("/v2/" + repo.name + "/blobs/" + looseDigest).then().statusCode(202);
        repo.as().get("/v2/" + repo.name + "/blobs/" + looseDigest).then().statusCode(404);
        repo.as().delete("/v2/" + repo.name + "/manifests/" + image.digest()).then().statusCode(202);
        String stillThere = repo.postPut(image.config); // back in the repository, as a pending blob
        assertEquals(image.configDigest, stillThere);
        repo.as().delete("/v2/" + repo.name + "/blobs/" + image.configDigest).then().statusCode(202);
        repo.as().get("/v2/" + repo.name + "/blobs/" + image.configDigest).then().statusCode(404);
        // A blob the latest version holds on its own (added through the Pulp API): a new version without it.
        String standalone = repo.postPut(RegistryTestClient.randomBytes(33));
        String repoHref = io.sigil.testing.Api.asAdmin().queryParam("name", repo.name).get("/pulp/api/v3/repositories/container/container/")
                .then().statusCode(200).extract().path("results[0].pulp_href");
        String blobHref = io.sigil.testing.Api.asAdmin().queryParam("digest", standalone).get("/pulp/api/v3/content/container/blobs/")
                .then().statusCode(200).extract().path("results[0].pulp_href");
        io.sigil.testing.Tasks.completed(io.sigil.testing.Api.asAdmin().contentType("application/json")
                .body(Map.of("add_content_units", List.of(blobHref))).post(repoHref + "modify/"));
        String before = latestVersionHref(repoHref);
        repo.as().delete("/v2/" + repo.name + "/blobs/" + standalone).then().statusCode(202);
        assertTrue(!before.equals(latestVersionHref(repoHref)), "a new version was written");
        repo.as().get("/v2/" + repo.name + "/blobs/" + standalone).then().statusCode(404);
        io.sigil.testing.Api.asAdmin().queryParam("repository_version", latestVersionHref(repoHref)).queryParam("digest", standalone)
                .get("/pulp/api/v3/content/container/blobs/").then().statusCode(200).body("count", equalTo(0));
        // "If the blob is not found, a 404 Not Found code MUST be returned."
        repo.as().delete("/v2/" + repo.name + "/blobs/" + image.configDigest).then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UNKNOWN"));
        repo.as().delete("/v2/" + repo.name + "/blobs/" + DUMMY).then().statusCode(404);
        repo.as().delete("/v2/" + repo.name + "/blobs/sha256:nothex").then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));
        // Anonymous callers and tokens for another repository change nothing.
        given().delete("/v2/" + repo.name + "/blobs/" + image.layerDigest).then().statusCode(401);
        RegistryTestClient.admin("some/other").delete("/v2/" + repo.name + "/blobs/" + image.layerDigest).then().statusCode(403);
        given().header("Authorization", "Bearer forged.token.value").delete("/v2/" + repo.name + "/blobs/" + image.layerDigest)
                .then().statusCode(401);
    }

    @Test
    void errorsHaveTheSpecShape() {
        Repo repo = new Repo();
        repo.pushImage("v1");
        for (Response response : List.of(repo.as().get("/v2/" + repo.name + "/blobs/" + DUMMY),
                repo.as().get("/v2/" + repo.name + "/manifests/nope"),
                repo.putManifest("x", bytes("{"), OCI_MANIFEST),
                repo.as().get("/v2/" + repo.name + "/blobs/uploads/" + UUID.randomUUID()))) {
            // "If the response body is in JSON format, it MUST have the following format" with a code from the list.
            response.then().statusCode(anyOf(equalTo(400), equalTo(404))).contentType("application/json")
                    .body("errors", hasSize(1)).body("errors[0].code", in(SPEC_CODES))
                    .body("errors[0].code", matchesPattern("[A-Z_]+")).body("errors[0].message", not(emptyOrNullString()));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String latestVersionHref(String repoHref) {
        return io.sigil.testing.Api.asAdmin().get(repoHref).then().statusCode(200).extract().path("latest_version_href");
    }

    private static Response patch(Repo repo, String location, byte[] blob, int first, int last) {
        return repo.as().contentType(OCTETS).header("Content-Range", first + "-" + last)
                .body(Arrays.copyOfRange(blob, first, last + 1)).patch(location);
    }

    private static String linkTarget(String link) {
        Matcher m = LINK.matcher(link);
        assertTrue(m.find(), "a Link header with rel=\"next\": " + link);
        return m.group(1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A config like the suite's: unique through its author. */
    private static byte[] config() {
        return bytes("{\n\t\"architecture\": \"amd64\",\n\t\"os\": \"linux\",\n\t\"rootfs\": {\"type\": \"layers\", \"diff_ids\": []},"
                + "\n\t\"author\": \"" + UUID.randomUUID() + "\"\n}");
    }

    /** An artifact manifest with a subject, as the suite's referrers: artifactType may be null, annotation too. */
    private static byte[] artifact(String artifactType, String config, String layer, String subject, String annotation) {
        return bytes("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + (artifactType == null ? "" : "\"artifactType\":\"" + artifactType + "\",")
                + "\"config\":" + config + ",\"layers\":[" + layer + "],\"subject\":" + subject
                + (annotation == null ? "" : ",\"annotations\":{\"org.opencontainers.conformance.test\":\"" + annotation + "\"}")
                + "}");
    }

    /** A repository of its own with a token for pull and push on it. */
    private static final class Repo {
        final String name = RegistryTestClient.uniqueName("oci");
        private final String token = RegistryTestClient.token("admin", "password", "repository:" + name + ":pull,push");

        RequestSpecification as() {
            return given().header("Authorization", "Bearer " + token);
        }

        /** POST then PUT, as the suite's setup pushes blobs; returns the digest. */
        String postPut(byte[] bytes) {
            String digest = RegistryTestClient.sha(bytes);
            String location = as().post("/v2/" + name + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
            as().contentType(OCTETS).body(bytes)
                    .put(location + "?digest=" + digest).then().statusCode(201);
            return digest;
        }

        Response putManifest(String reference, byte[] manifest, String mediaType) {
            return as().contentType(mediaType).body(manifest).put("/v2/" + name + "/manifests/" + reference);
        }

        /** A config and a layer pushed, and a manifest naming them like the suite's (not pushed). */
        Image image() {
            byte[] config = config();
            String configDigest = postPut(config);
            byte[] layer = RegistryTestClient.randomBytes(120);
            String layerDigest = postPut(layer);
            // The suite's config descriptor carries embedded data and a field no spec defines: both are accepted.
            String configDescriptor = "{\"mediaType\":\"" + OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":"
                    + config.length + ",\"data\":\"" + Base64.getEncoder().encodeToString(config)
                    + "\",\"newUnspecifiedField\":\"aGVsbG8gd29ybGQ=\"}";
            byte[] manifest = bytes("{\n\t\"schemaVersion\": 2,\n\t\"mediaType\": \"" + OCI_MANIFEST + "\",\n\t\"config\": "
                    + configDescriptor + ",\n\t\"layers\": [" + RegistryTestClient.descriptor(OCI_LAYER, layerDigest, layer.length)
                    + "]\n}");
            return new Image(manifest, config, configDigest, configDescriptor, layerDigest);
        }

        Image pushImage(String tag) {
            Image image = image();
            putManifest(tag, image.bytes, OCI_MANIFEST).then().statusCode(201);
            return image;
        }
    }

    private record Image(byte[] bytes, byte[] config, String configDigest, String configDescriptor, String layerDigest) {
        String digest() {
            return RegistryTestClient.sha(bytes);
        }
    }
}
