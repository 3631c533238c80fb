package io.sigil.api;

import static io.restassured.RestAssured.given;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.sigil.content.Manifest;
import io.sigil.content.Tag;
import io.sigil.testing.ContentFixtures;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Tasks;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The repository and label operations pulp-cli calls, as Pulp shapes them. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class PulpOperationsTest {

    static final String API = "/pulp/api/v3/";
    static final String REPOS = API + "repositories/container/container/";
    static final String REMOTES = API + "remotes/container/container/";
    static final String DISTRIBUTIONS = API + "distributions/container/container/";
    static final String CONTENT = API + "content/container/";

    @Inject
    ContentFixtures fixtures;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static JsonPath created(String collection, Map<String, Object> body) {
        return asAdmin().contentType(ContentType.JSON).body(body).post(collection).then().statusCode(201).extract().jsonPath();
    }

    static String repository() {
        return created(REPOS, Map.of("name", unique("ops"))).getString("pulp_href");
    }

    static JsonPath post(String href, Object body) {
        return Tasks.completed(asAdmin().contentType(ContentType.JSON).body(body).post(href));
    }

    static String href(String type, UUID id) {
        return CONTENT + type + "/" + id + "/";
    }

    /** A caller without credentials, and one whose Basic or Bearer credentials are forged: each refused, 401. */
    static List<Supplier<RequestSpecification>> strangers() {
        return List.of(
                () -> given(),
                () -> given().auth().preemptive().basic("admin", "not-the-password"),
                () -> given().header("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9."));
    }

    private void refusedToStrangers(String method, String path, Object body) {
        for (Supplier<RequestSpecification> stranger : strangers()) {
            stranger.get().contentType(ContentType.JSON).body(body).request(method, path).then().statusCode(401)
                    .body("detail", notNullValue());
        }
    }

    @Test
    void addAndRemoveEachWriteOneVersion() {
        String repo = repository();
        Tag a = fixtures.taggedImage("a");
        Tag b = fixtures.taggedImage("b");
        JsonPath add = post(repo + "add/", Map.of("content_units", List.of(href("tags", a.pulpId), href("tags", b.pulpId))));
        assertEquals(List.of(repo + "versions/1/"), add.getList("created_resources"));
        asAdmin().get(repo + "versions/1/").then().body("content_summary.present.'container.tag'.count", equalTo(2))
                .body("content_summary.present.'container.manifest'.count", equalTo(2));
        JsonPath remove = post(repo + "remove/", Map.of("content_units", List.of(href("manifests", a.manifest.pulpId))));
        assertEquals(List.of(repo + "versions/2/"), remove.getList("created_resources"));
        asAdmin().queryParam("repository_version", repo + "versions/2/").get(CONTENT + "tags/").then()
                .body("count", equalTo(1)).body("results[0].name", equalTo("b"));
        post(repo + "remove/", Map.of("content_units", List.of("*")));
        asAdmin().get(repo + "versions/3/").then().statusCode(200).body("content_summary.present", equalTo(Map.of()));

        asAdmin().contentType(ContentType.JSON).body(Map.of()).post(repo + "add/").then().statusCode(400)
                .body("content_units[0]", containsString("required"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("content_units", List.of("/nope/"))).post(repo + "add/")
                .then().statusCode(400).body("add_content_units[0]", containsString("not a content href"));
        refusedToStrangers("POST", repo + "add/", Map.of("content_units", List.of(href("tags", a.pulpId))));
        refusedToStrangers("POST", repo + "remove/", Map.of("content_units", List.of("*")));
        asAdmin().get(repo).then().body("latest_version_href", equalTo(repo + "versions/3/"));
    }

    @Test
    void tagAndUntagMoveTagsInOneVersionEach() {
        String repo = repository();
        Tag a = fixtures.taggedImage("a");
        Tag b = fixtures.taggedImage("b");
        post(repo + "add/", Map.of("content_units", List.of(href("tags", a.pulpId), href("tags", b.pulpId))));

        JsonPath tagged = post(repo + "tag/", Map.of("tag", "latest", "digest", a.manifest.digest));
        assertEquals(List.of(repo + "versions/2/"), tagged.getList("created_resources"));
        asAdmin().queryParam("repository_version", repo + "versions/2/").queryParam("name", "latest")
                .get(CONTENT + "tags/").then().body("count", equalTo(1)).body("results[0].digest", equalTo(a.manifest.digest));
        // Moving the tag replaces it; tagging it where it already points changes nothing.
        post(repo + "tag/", Map.of("tag", "latest", "digest", b.manifest.digest));
        JsonPath again = post(repo + "tag/", Map.of("tag", "latest", "digest", b.manifest.digest));
        assertEquals(List.of(), again.getList("created_resources"));
        asAdmin().queryParam("repository_version", repo + "versions/3/").queryParam("name", "latest")
                .get(CONTENT + "tags/").then().body("count", equalTo(1)).body("results[0].digest", equalTo(b.manifest.digest));

        post(repo + "untag/", Map.of("tag", "latest"));
        asAdmin().queryParam("repository_version", repo + "versions/4/").get(CONTENT + "tags/").then()
                .body("count", equalTo(2)).body("results.name", not(hasItem("latest")));
        asAdmin().queryParam("repository_version", repo + "versions/4/").get(CONTENT + "manifests/").then()
                .body("count", equalTo(2));

        Manifest stranger = fixtures.image(fixtures.blob(), fixtures.blob());
        asAdmin().contentType(ContentType.JSON).body(Map.of("tag", "x", "digest", stranger.digest)).post(repo + "tag/")
                .then().statusCode(400).body("digest[0]", containsString("no manifest"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("tag", "-bad", "digest", a.manifest.digest)).post(repo + "tag/")
                .then().statusCode(400).body("tag[0]", containsString("valid tag"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("tag", "latest")).post(repo + "untag/")
                .then().statusCode(400).body("tag[0]", containsString("has no tag"));
        refusedToStrangers("POST", repo + "tag/", Map.of("tag", "evil", "digest", a.manifest.digest));
        refusedToStrangers("POST", repo + "untag/", Map.of("tag", "a"));
        asAdmin().get(repo).then().body("latest_version_href", equalTo(repo + "versions/4/"));
    }

    @Test
    void aRepositoryRemembersItsRemoteAndASyncWithoutOneUsesIt() {
        String remote = created(REMOTES, Map.of("name", unique("r"), "url", "http://127.0.0.1:9", "upstream_name", "x"))
                .getString("pulp_href");
        String repo = repository();
        asAdmin().contentType(ContentType.JSON).body(Map.of()).post(repo + "sync/").then().statusCode(400)
                .body("remote[0]", containsString("no remote"));
        Tasks.completed(asAdmin().contentType(ContentType.JSON).body(Map.of("remote", remote)).patch(repo));
        asAdmin().get(repo).then().body("remote", equalTo(remote));
        asAdmin().queryParam("remote", remote).get(REPOS).then().body("count", equalTo(1))
                .body("results[0].pulp_href", equalTo(repo));

        String task = asAdmin().contentType(ContentType.JSON).body(Map.of()).post(repo + "sync/").then().statusCode(202)
                .extract().path("task");
        String remoteId = remote.substring(REMOTES.length(), remote.length() - 1);
        asAdmin().get(task).then().body("reserved_resources_record", hasItem("shared:remote:" + remoteId));

        JsonPath withRemote = created(REPOS, Map.of("name", unique("with-remote"), "remote", remote));
        assertEquals(remote, withRemote.getString("remote"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", unique("bad"), "remote", REMOTES + UUID.randomUUID() + "/"))
                .post(REPOS).then().statusCode(400).body("remote[0]", containsString("does not exist"));
        // Deleting the remote clears the field, as Pulp's SET_NULL does.
        asAdmin().delete(remote).then().statusCode(204);
        asAdmin().get(withRemote.getString("pulp_href")).then().body("remote", nullValue());
    }

    @Test
    void labelsAreSetUnsetAndSelectedOnRepositoriesDistributionsAndRemotes() {
        String repo = created(REPOS, Map.of("name", unique("lab"), "pulp_labels", Map.of("env", "prod", "team", "a")))
                .getString("pulp_href");
        String other = repository();
        String dist = created(DISTRIBUTIONS, Map.of("name", unique("d"), "base_path", unique("lab") + "/app")).getString("pulp_href");
        String remote = created(REMOTES, Map.of("name", unique("r"), "url", "http://127.0.0.1:9", "upstream_name", "x"))
                .getString("pulp_href");
        String marker = unique("m").replace("-", "_");
        for (String href : List.of(repo, dist, remote)) {
            asAdmin().contentType(ContentType.JSON).body(Map.of("key", marker, "value", "blue sky")).post(href + "set_label/")
                    .then().statusCode(201).body("key", equalTo(marker)).body("value", equalTo("blue sky"));
            asAdmin().get(href).then().body("pulp_labels." + marker, equalTo("blue sky"));
        }
        asAdmin().queryParam("pulp_label_select", marker + "=blue sky").get(REPOS).then().body("count", equalTo(1))
                .body("results[0].pulp_href", equalTo(repo));
        asAdmin().queryParam("pulp_label_select", marker + "~SKY").get(DISTRIBUTIONS).then().body("count", equalTo(1))
                .body("results[0].pulp_href", equalTo(dist));
        asAdmin().queryParam("pulp_label_select", marker).get(REMOTES).then().body("count", equalTo(1));
        asAdmin().queryParam("pulp_label_select", marker + "!=blue sky").get(REPOS).then().body("count", equalTo(0));
        asAdmin().queryParam("pulp_label_select", "env=prod,team=a," + marker).get(REPOS).then().body("count", equalTo(1));
        asAdmin().queryParam("pulp_label_select", "!" + marker).queryParam("name", nameOf(other))
                .get(REPOS).then().body("count", equalTo(1));
        for (String bad : List.of("a=b,,", "=x", "!a=b", "a;b", ",")) {
            asAdmin().queryParam("pulp_label_select", bad).get(REPOS).then().statusCode(400)
                    .body("pulp_label_select[0]", notNullValue());
        }

        asAdmin().contentType(ContentType.JSON).body(Map.of("key", marker)).post(repo + "unset_label/").then()
                .statusCode(201).body("value", equalTo("blue sky"));
        asAdmin().get(repo).then().body("pulp_labels", equalTo(Map.of("env", "prod", "team", "a")));
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", marker)).post(repo + "unset_label/").then()
                .statusCode(400).body("key[0]", containsString("not set"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", "bad,key", "value", "v")).post(repo + "set_label/")
                .then().statusCode(400).body("key[0]", notNullValue());
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("key", "flag");
        nullValue.put("value", null);
        asAdmin().contentType(ContentType.JSON).body(nullValue).post(dist + "set_label/").then().statusCode(201);
        asAdmin().get(dist).then().body("pulp_labels", hasKeyWithNull("flag"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("key", "k", "value", "v"))
                .post(REPOS + UUID.randomUUID() + "/set_label/").then().statusCode(404);

        for (String href : List.of(repo, dist, remote)) {
            refusedToStrangers("POST", href + "set_label/", Map.of("key", "owned", "value", "yes"));
            refusedToStrangers("POST", href + "unset_label/", Map.of("key", "env"));
            asAdmin().get(href).then().body("pulp_labels.owned", nullValue());
        }
        asAdmin().get(repo).then().body("pulp_labels.env", equalTo("prod"));
    }

    private static org.hamcrest.Matcher<Map<? extends String, ?>> hasKeyWithNull(String key) {
        return org.hamcrest.Matchers.hasEntry(equalTo(key), nullValue());
    }

    private static String nameOf(String href) {
        return asAdmin().get(href).then().extract().path("name");
    }

    @Test
    void everyEntityCarriesItsPrn() {
        String repo = repository();
        String id = repo.substring(REPOS.length(), repo.length() - 1);
        asAdmin().get(repo).then().body("prn", equalTo("prn:container.containerrepository:" + id));
        asAdmin().get(repo + "versions/0/").then().body("prn", org.hamcrest.Matchers.startsWith("prn:core.repositoryversion:"));
        String dist = created(DISTRIBUTIONS, Map.of("name", unique("d"), "base_path", unique("prn"))).getString("pulp_href");
        asAdmin().get(dist).then().body("prn", equalTo("prn:container.containerdistribution:"
                + dist.substring(DISTRIBUTIONS.length(), dist.length() - 1)));
        String remote = created(REMOTES, Map.of("name", unique("r"), "url", "http://127.0.0.1:9", "upstream_name", "x"))
                .getString("pulp_href");
        asAdmin().get(remote).then().body("prn", org.hamcrest.Matchers.startsWith("prn:container.containerremote:"));
        // Views that do not name it themselves get it from their href: content, tasks, Sigil's own entities.
        Tag a = fixtures.taggedImage("a");
        asAdmin().get(href("tags", a.pulpId)).then().body("prn", equalTo("prn:container.tag:" + a.pulpId));
        asAdmin().get(href("manifests", a.manifest.pulpId)).then()
                .body("prn", equalTo("prn:container.manifest:" + a.manifest.pulpId));
        String task = asAdmin().contentType(ContentType.JSON).body(Map.of("content_units", List.of(href("tags", a.pulpId))))
                .post(repo + "add/").then().statusCode(202).extract().path("task");
        asAdmin().get(task).then().body("prn", equalTo("prn:core.task:" + task.substring(API.length() + 6, task.length() - 1)));
        asAdmin().get(API + "users/").then().body("results[0].prn", org.hamcrest.Matchers.startsWith("prn:core.user:"));
    }
}
