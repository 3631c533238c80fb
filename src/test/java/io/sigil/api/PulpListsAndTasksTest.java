package io.sigil.api;

import static io.restassured.RestAssured.given;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.content.Tag;
import io.sigil.tasks.TaskGroups;
import io.sigil.testing.ContentFixtures;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Tasks;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pulp's generic lists, task groups, workers and task purge. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class PulpListsAndTasksTest {

    static final String API = "/pulp/api/v3/";

    @Inject
    ContentFixtures fixtures;
    @Inject
    TaskGroups groups;

    @Test
    void genericListsShowEveryTypeTogether() {
        String repo = PulpOperationsTest.repository();
        Tag a = fixtures.taggedImage("a");
        PulpOperationsTest.post(repo + "add/", Map.of("content_units", List.of(PulpOperationsTest.href("tags", a.pulpId))));
        String name = asAdmin().get(repo).then().extract().path("name");

        asAdmin().queryParam("name", name).get(API + "repositories/").then().statusCode(200).body("count", equalTo(1))
                .body("results[0].pulp_href", equalTo(repo));
        asAdmin().queryParam("limit", 1000).get(API + "repository_versions/").then().statusCode(200)
                .body("results.pulp_href", hasItem(repo + "versions/1/"))
                .body("results.pulp_href", hasItem(repo + "versions/0/"));
        JsonPath content = asAdmin().queryParam("repository_version", repo + "versions/1/").get(API + "content/")
                .then().statusCode(200).body("count", equalTo(4)).extract().jsonPath(); // tag, manifest, config, layer
        assertEquals(List.of("container.blob", "container.manifest", "container.tag"),
                content.getList("results.pulp_type", String.class).stream().distinct().sorted().toList());
        assertEquals(1, content.getList("results.prn", String.class).stream().filter(p -> p.startsWith("prn:container.tag:")).count());
        asAdmin().queryParam("repository_version", repo + "versions/1/").queryParam("pulp_type__in", "container.tag")
                .get(API + "content/").then().body("count", equalTo(1))
                .body("results[0].pulp_href", equalTo(PulpOperationsTest.href("tags", a.pulpId)));
        asAdmin().queryParam("pulp_type__in", "rpm.package").get(API + "content/").then().statusCode(400)
                .body("pulp_type__in[0]", notNullValue());

        String basePath = PulpOperationsTest.unique("generic");
        PulpOperationsTest.created(PulpOperationsTest.DISTRIBUTIONS, Map.of("name", basePath, "base_path", basePath));
        asAdmin().queryParam("base_path", basePath).get(API + "distributions/").then().body("count", equalTo(1));
        String remoteName = PulpOperationsTest.unique("generic");
        PulpOperationsTest.created(PulpOperationsTest.REMOTES, Map.of("name", remoteName, "url", "http://127.0.0.1:9",
                "upstream_name", "x"));
        asAdmin().queryParam("name", remoteName).get(API + "remotes/").then().body("count", equalTo(1));

        for (String list : List.of("repositories/", "repository_versions/", "content/", "distributions/", "remotes/",
                "task-groups/", "workers/")) {
            given().get(API + list).then().statusCode(401);
            given().auth().preemptive().basic("admin", "wrong").get(API + list).then().statusCode(401);
        }
    }

    @Test
    void workersAreListedFromTheirHeartbeats() {
        JsonPath workers = asAdmin().get(API + "workers/").then().statusCode(200)
                .body("count", greaterThanOrEqualTo(1)).extract().jsonPath();
        String href = workers.getString("results[0].pulp_href");
        asAdmin().get(href).then().statusCode(200).body("online", equalTo(true))
                .body("name", equalTo(workers.getString("results[0].name")))
                .body("prn", startsWith("prn:core.worker:")).body("last_heartbeat", notNullValue());
        asAdmin().queryParam("online", false).get(API + "workers/").then().body("results.pulp_href", not(hasItem(href)));
        asAdmin().get(API + "workers/" + UUID.randomUUID() + "/").then().statusCode(404);
        asAdmin().get(API + "workers/not-an-id/").then().statusCode(404);
    }

    @Test
    void aTaskGroupCountsItsTasksByState() {
        UUID group = groups.open("two modifies");
        String repo = PulpOperationsTest.repository();
        String repoId = repo.substring(PulpOperationsTest.REPOS.length(), repo.length() - 1);
        var first = groups.dispatch(group, "repository.modify", Map.of("repository", repoId, "add", List.of(),
                "remove", List.of(), "removeAll", false), List.of("repository:" + repoId), List.of(), "admin");
        var second = groups.dispatch(group, "repository.modify", Map.of("repository", repoId, "add", List.of(),
                "remove", List.of(), "removeAll", false), List.of("repository:" + repoId), List.of(), "admin");
        groups.close(group);
        Tasks.await(first.href());
        Tasks.await(second.href());
        String href = API + "task-groups/" + group + "/";
        asAdmin().get(href).then().statusCode(200).body("description", equalTo("two modifies"))
                .body("all_tasks_dispatched", equalTo(true)).body("completed", equalTo(2)).body("waiting", equalTo(0))
                .body("tasks.pulp_href", hasItem(first.href())).body("prn", equalTo("prn:core.taskgroup:" + group));
        asAdmin().queryParam("limit", 1000).get(API + "task-groups/").then().body("results.pulp_href", hasItem(href));
        asAdmin().get(API + "task-groups/" + UUID.randomUUID() + "/").then().statusCode(404);
    }

    @Test
    void purgeDeletesFinishedTasksOfTheCallerOrOfEveryoneForAnAdmin() {
        String user = PulpOperationsTest.unique("purger");
        asAdmin().contentType(ContentType.JSON).body(Map.of("username", user, "password", "secret-" + user))
                .post(API + "users/").then().statusCode(201);
        // A task of the admin's and one of the user's (orphan clean-up records who asked).
        String adminTask = Tasks.completed(asAdmin().contentType(ContentType.JSON).body(Map.of())
                .post(API + "tasks/purge/")).getString("pulp_href");
        String userTask = Tasks.completed(given().auth().preemptive().basic(user, "secret-" + user)
                .contentType(ContentType.JSON).body(Map.of()).post(API + "tasks/purge/")).getString("pulp_href");
        String tomorrow = OffsetDateTime.now(ZoneOffset.UTC).plusDays(1).toLocalDate().toString();

        JsonPath byUser = Tasks.completed(given().auth().preemptive().basic(user, "secret-" + user)
                .contentType(ContentType.JSON).body(Map.of("finished_before", tomorrow, "states", List.of("completed")))
                .post(API + "tasks/purge/"));
        assertEquals(1, byUser.getInt("result.deleted"));
        asAdmin().get(userTask).then().statusCode(404);
        asAdmin().get(adminTask).then().statusCode(200);

        JsonPath byAdmin = Tasks.completed(asAdmin().contentType(ContentType.JSON)
                .body(Map.of("finished_before", tomorrow, "states", List.of("completed", "failed", "canceled")))
                .post(API + "tasks/purge/"));
        assertEquals(byAdmin.getInt("result.deleted"), byAdmin.getInt("result.deleted_by_state.completed")
                + byAdmin.getInt("result.deleted_by_state.failed") + byAdmin.getInt("result.deleted_by_state.canceled"));
        asAdmin().get(adminTask).then().statusCode(404);
        asAdmin().get(byUser.getString("pulp_href")).then().statusCode(404);

        asAdmin().contentType(ContentType.JSON).body(Map.of("states", List.of("running"))).post(API + "tasks/purge/")
                .then().statusCode(400).body("states[0]", containsString("final states"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("finished_before", "yesterday")).post(API + "tasks/purge/")
                .then().statusCode(400).body("finished_before[0]", notNullValue());
        String survivor = Tasks.completed(asAdmin().contentType(ContentType.JSON).body(Map.of()).post(API + "tasks/purge/"))
                .getString("pulp_href");
        given().contentType(ContentType.JSON).body(Map.of("finished_before", tomorrow)).post(API + "tasks/purge/")
                .then().statusCode(401);
        given().auth().preemptive().basic("admin", "wrong").contentType(ContentType.JSON)
                .body(Map.of("finished_before", tomorrow)).post(API + "tasks/purge/").then().statusCode(401);
        asAdmin().get(survivor).then().statusCode(200);
    }
}
