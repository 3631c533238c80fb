package io.sigil.api;

import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.content.Manifest;
import io.sigil.content.Signature;
import io.sigil.content.Tag;
import io.sigil.testing.ContentFixtures;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Tasks;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class RepositoryApiTest {

    static final String REPOS = "/pulp/api/v3/repositories/container/container/";
    static final String CONTENT = "/pulp/api/v3/content/container/";

    @Inject
    ContentFixtures fixtures;

    static String href(String type, UUID id) {
        return CONTENT + type + "/" + id + "/";
    }

    static String href(Tag t) {
        return href("tags", t.pulpId);
    }

    static String href(Manifest m) {
        return href("manifests", m.pulpId);
    }

    static String href(Signature s) {
        return href("signatures", s.pulpId);
    }

    private JsonPath createRepository() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "api-" + UUID.randomUUID()))
                .post(REPOS).then().statusCode(201).extract().jsonPath();
    }

    private JsonPath modify(String repo, Map<String, Object> body) {
        return Tasks.completed(asAdmin().contentType(ContentType.JSON).body(body).post(repo + "modify/"));
    }

    @Test
    void createsRepositoriesWithAnEmptyVersionZero() {
        JsonPath repo = createRepository();
        String href = repo.getString("pulp_href");
        assertEquals(href + "versions/0/", repo.getString("latest_version_href"));
        asAdmin().get(href + "versions/").then().statusCode(200)
                .body("count", equalTo(1)).body("results[0].number", equalTo(0));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", repo.getString("name"))).post(REPOS)
                .then().statusCode(400).body("name[0]", containsString("already exists"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "")).post(REPOS).then().statusCode(400).body("name", notNullValue());
        asAdmin().get(REPOS + UUID.randomUUID() + "/").then().statusCode(404).body("detail", notNullValue());
    }

    @Test
    void writesNeedCredentials() {
        io.restassured.RestAssured.given().contentType(ContentType.JSON).body(Map.of("name", "anonymous")).post(REPOS)
                .then().statusCode(401);
    }

    @Test
    void modifyAddsAndRemovesInOneVersionAndRecordsItOnTheTask() {
        String repo = createRepository().getString("pulp_href");
        Tag a = fixtures.taggedImage("a");
        Tag b = fixtures.taggedImage("b");
        JsonPath task = modify(repo, Map.of("add_content_units", List.of(href(a), href(b))));
        assertEquals(List.of(repo + "versions/1/"), task.getList("created_resources"));
        JsonPath v1 = asAdmin().get(repo + "versions/1/").then().statusCode(200).extract().jsonPath();
        assertEquals(2, v1.getInt("content_summary.present.'container.tag'.count"));
        assertEquals(4, v1.getInt("content_summary.added.'container.blob'.count"));

        modify(repo, Map.of("add_content_units", List.of(), "remove_content_units", List.of(href(a.manifest))));
        asAdmin().queryParam("repository_version", repo + "versions/2/").get(CONTENT + "tags/").then().statusCode(200)
                .body("count", equalTo(1)).body("results[0].name", equalTo("b"));
        asAdmin().queryParam("repository_version_removed", repo + "versions/2/").get(CONTENT + "manifests/").then()
                .body("count", equalTo(1)).body("results[0].digest", equalTo(a.manifest.digest));
    }

    @Test
    void modifyThatChangesNothingCreatesNoVersion() {
        String repo = createRepository().getString("pulp_href");
        Tag a = fixtures.taggedImage("a");
        modify(repo, Map.of("add_content_units", List.of(href(a))));
        JsonPath task = modify(repo, Map.of("add_content_units", List.of(href(a))));
        assertEquals(List.of(), task.getList("created_resources"));
        asAdmin().get(repo).then().body("latest_version_href", equalTo(repo + "versions/1/"));
    }

    @Test
    void badModifyRequestsAreRefusedBeforeAnyTask() {
        String repo = createRepository().getString("pulp_href");
        asAdmin().contentType(ContentType.JSON).body(Map.of("add_content_units", List.of("/not/a/href/")))
                .post(repo + "modify/").then().statusCode(400).body("add_content_units[0]", containsString("not a content href"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("add_content_units", List.of(href("tags", UUID.randomUUID()))))
                .post(repo + "modify/").then().statusCode(400).body("add_content_units[0]", containsString("unknown content"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("base_version", repo + "versions/7/"))
                .post(repo + "modify/").then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body("{not json").post(repo + "modify/").then().statusCode(400);
    }

    @Test
    void removingANeededBlobFailsTheTaskWithAConflictAndNoVersion() {
        String repo = createRepository().getString("pulp_href");
        Tag a = fixtures.taggedImage("a");
        modify(repo, Map.of("add_content_units", List.of(href(a))));
        String blob = asAdmin().queryParam("repository_version", repo + "versions/1/").get(CONTENT + "blobs/")
                .then().extract().path("results[0].pulp_href");
        String taskHref = asAdmin().contentType(ContentType.JSON).body(Map.of("remove_content_units", List.of(blob)))
                .post(repo + "modify/").then().statusCode(202).extract().path("task");
        JsonPath task = Tasks.await(taskHref);
        assertEquals("failed", task.getString("state"));
        assertTrue(task.getString("error.description").contains("needed by"), task.getString("error.description"));
        asAdmin().get(repo).then().body("latest_version_href", equalTo(repo + "versions/1/"));
    }

    @Test
    void copyTagsBringsSignaturesAlongUnlessAskedNotTo() {
        String source = createRepository().getString("pulp_href");
        Manifest m = fixtures.image(fixtures.blob(), fixtures.blob());
        Tag t = fixtures.tag("signed", m);
        Signature s = fixtures.signature(m, "ABCDEF0123456789");
        modify(source, Map.of("add_content_units", List.of(href(t), href(s))));

        String withSignatures = createRepository().getString("pulp_href");
        Tasks.completed(asAdmin().contentType(ContentType.JSON).body(Map.of("source_repository", source, "names", List.of("signed")))
                .post(withSignatures + "copy_tags/"));
        asAdmin().queryParam("repository_version", withSignatures + "versions/1/").get(CONTENT + "signatures/")
                .then().body("count", equalTo(1)).body("results[0].signed_digest", equalTo(m.digest));

        String without = createRepository().getString("pulp_href");
        Tasks.completed(asAdmin().contentType(ContentType.JSON)
                .body(Map.of("source_repository_version", source + "versions/1/", "include_signatures", false))
                .post(without + "copy_tags/"));
        asAdmin().queryParam("repository_version", without + "versions/1/").get(CONTENT + "signatures/").then().body("count", equalTo(0));
        asAdmin().queryParam("repository_version", without + "versions/1/").get(CONTENT + "tags/").then().body("count", equalTo(1));
    }

    @Test
    void contentFiltersFindSignedManifestsAndSignaturesByKey() {
        String repo = createRepository().getString("pulp_href");
        Manifest signed = fixtures.image(fixtures.blob());
        Manifest unsigned = fixtures.image(fixtures.blob());
        Signature s = fixtures.signature(signed, "00112233AABBCCDD");
        modify(repo, Map.of("add_content_units", List.of(href(s), href(unsigned))));
        String v1 = repo + "versions/1/";
        asAdmin().queryParam("repository_version", v1).queryParam("signed", true).get(CONTENT + "manifests/")
                .then().body("count", equalTo(1)).body("results[0].digest", equalTo(signed.digest));
        asAdmin().queryParam("repository_version", v1).queryParam("signed", false).get(CONTENT + "manifests/")
                .then().body("count", equalTo(1)).body("results[0].digest", equalTo(unsigned.digest));
        asAdmin().queryParam("key_id", "00112233aabbccdd").get(CONTENT + "signatures/")
                .then().body("results.pulp_href", hasItem(href(s)));
        asAdmin().queryParam("repository_version", v1).queryParam("digest", unsigned.digest).get(CONTENT + "manifests/")
                .then().body("results", hasSize(1)).body("results[0].blobs", hasSize(1)).body("results[0].config_blob", notNullValue());
        asAdmin().get(href(s)).then().statusCode(200).body("key_id", equalTo("00112233AABBCCDD"))
                .body("signed_manifest", equalTo(href(signed)));
        asAdmin().get(CONTENT + "widgets/").then().statusCode(404);
        asAdmin().queryParam("repository_version", "nonsense").get(CONTENT + "tags/").then().statusCode(400);
    }

    @Test
    void listsPageWithNextAndPreviousLinks() {
        String repo = createRepository().getString("pulp_href");
        List<String> tags = List.of(href(fixtures.taggedImage("p1")), href(fixtures.taggedImage("p2")), href(fixtures.taggedImage("p3")));
        modify(repo, Map.of("add_content_units", tags));
        JsonPath first = asAdmin().queryParam("repository_version", repo + "versions/1/").queryParam("limit", 2)
                .get(CONTENT + "tags/").then().extract().jsonPath();
        assertEquals(3, first.getInt("count"));
        assertEquals(2, first.getList("results").size());
        asAdmin().urlEncodingEnabled(false).get(first.getString("next")).then().body("results", hasSize(1)).body("previous", notNullValue())
                .body("next", nullValue());
    }

    @Test
    void deletesOldVersionsButNeverTheLatest() {
        String repo = createRepository().getString("pulp_href");
        modify(repo, Map.of("add_content_units", List.of(href(fixtures.taggedImage("x")))));
        modify(repo, Map.of("add_content_units", List.of(href(fixtures.taggedImage("y")))));
        asAdmin().delete(repo + "versions/2/").then().statusCode(400);
        Tasks.completed(asAdmin().delete(repo + "versions/1/"));
        asAdmin().get(repo + "versions/1/").then().statusCode(404);
        asAdmin().get(repo + "versions/2/").then().statusCode(200)
                .body("content_summary.present.'container.tag'.count", equalTo(2));
    }

    @Test
    void updateAndDeleteRunAsTasks() {
        String repo = createRepository().getString("pulp_href");
        Tasks.completed(asAdmin().contentType(ContentType.JSON).body(Map.of("description", "hello", "retain_repo_versions", 3))
                .patch(repo));
        asAdmin().get(repo).then().body("description", equalTo("hello")).body("retain_repo_versions", equalTo(3));
        asAdmin().contentType(ContentType.JSON).body(Map.of("pulp_href", "x")).patch(repo).then().statusCode(400);
        Tasks.completed(asAdmin().delete(repo));
        asAdmin().get(repo).then().statusCode(404);
    }

    @Test
    void concurrentModifyTasksOnOneRepositoryEachMakeAVersionAndLoseNothing() throws Exception {
        String repo = createRepository().getString("pulp_href");
        int n = 12;
        List<Tag> tags = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            tags.add(fixtures.taggedImage("c" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<JsonPath>> results = new java.util.ArrayList<>();
            for (Tag t : tags) {
                results.add(pool.submit(() -> modify(repo, Map.of("add_content_units", List.of(href(t))))));
            }
            for (Future<JsonPath> f : results) {
                assertEquals(1, f.get().getList("created_resources").size());
            }
        } finally {
            pool.shutdown();
        }
        asAdmin().get(repo).then().body("latest_version_href", equalTo(repo + "versions/" + n + "/"));
        asAdmin().queryParam("repository_version", repo + "versions/" + n + "/").get(CONTENT + "tags/")
                .then().body("count", equalTo(n)).body("results.name", not(hasItem("missing")));
    }
}
