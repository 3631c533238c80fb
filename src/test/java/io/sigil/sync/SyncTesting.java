package io.sigil.sync;

import static io.sigil.testing.Api.asAdmin;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.testing.Tasks;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** REST calls the sync tests repeat: remotes, repositories, syncs and what a version holds. */
final class SyncTesting {

    private SyncTesting() {
    }

    static String remote(Map<String, Object> fields) {
        Map<String, Object> body = new java.util.HashMap<>(fields);
        body.putIfAbsent("name", "remote-" + UUID.randomUUID());
        return asAdmin().contentType(ContentType.JSON).body(body).post("/pulp/api/v3/remotes/container/container/")
                .then().statusCode(201).extract().path("pulp_href");
    }

    static String repository() {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "sync-" + UUID.randomUUID()))
                .post("/pulp/api/v3/repositories/container/container/").then().statusCode(201).extract().path("pulp_href");
    }

    /** Runs a sync to its end and returns the task (whatever its state). */
    static JsonPath sync(String repository, String remote, boolean mirror) {
        String task = asAdmin().contentType(ContentType.JSON).body(Map.of("remote", remote, "mirror", mirror))
                .post(repository + "sync/").then().statusCode(202).extract().path("task");
        return Tasks.await(task);
    }

    static JsonPath completedSync(String repository, String remote, boolean mirror) {
        JsonPath task = sync(repository, remote, mirror);
        if (!"completed".equals(task.getString("state"))) {
            throw new AssertionError("sync failed: " + task.prettify());
        }
        return task;
    }

    static String latestVersion(String repository) {
        return asAdmin().get(repository).then().statusCode(200).extract().path("latest_version_href");
    }

    static List<String> tags(String version) {
        return asAdmin().queryParam("repository_version", version).queryParam("limit", 1000)
                .get("/pulp/api/v3/content/container/tags/").then().statusCode(200).extract().path("results.name");
    }

    static List<Map<String, Object>> signatures(String version) {
        return asAdmin().queryParam("repository_version", version).queryParam("limit", 1000)
                .get("/pulp/api/v3/content/container/signatures/").then().statusCode(200).extract().path("results");
    }

    /** How many units of a type ({@code container.tag}, ...) a version added, present or removed. */
    static int count(String version, String section, String type) {
        Integer count = asAdmin().get(version).then().statusCode(200).extract()
                .path("content_summary." + section + "['" + type + "'].count");
        return count == null ? 0 : count;
    }
}
