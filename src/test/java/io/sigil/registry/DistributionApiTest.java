package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sigil.testing.PostgresDatabaseResource;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** /pulp/api/v3/distributions/container/container/: synchronous CRUD, validation, and what each setting serves. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class DistributionApiTest {

    private static final String DISTRIBUTIONS = "/pulp/api/v3/distributions/container/container/";
    private static final String REPOSITORIES = "/pulp/api/v3/repositories/container/container/";

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonPath repository(String name) {
        return asAdmin().contentType("application/json").body(Map.of("name", name)).post(REPOSITORIES)
                .then().statusCode(201).extract().jsonPath();
    }

    private static JsonPath create(Map<String, Object> body) {
        return asAdmin().contentType("application/json").body(body).post(DISTRIBUTIONS).then().statusCode(201)
                .extract().jsonPath();
    }

    @Test
    void createReadListUpdateDelete() {
        String path = "ns/" + unique() + "/image";
        String repo = repository("repo-" + unique()).getString("pulp_href");
        JsonPath created = create(Map.of("name", path, "base_path", path, "repository", repo, "description", "d"));
        String href = created.getString("pulp_href");
        asAdmin().get(href).then().statusCode(200)
                .body("pulp_href", startsWith(DISTRIBUTIONS)).body("name", equalTo(path)).body("base_path", equalTo(path))
                .body("repository", equalTo(repo)).body("repository_version", nullValue()).body("private", equalTo(false))
                .body("description", equalTo("d")).body("registry_path", equalTo("127.0.0.1:" + io.restassured.RestAssured.port + "/" + path))
                .body("$", hasKey("pulp_created"));
        asAdmin().queryParam("base_path", path).get(DISTRIBUTIONS).then().statusCode(200)
                .body("count", equalTo(1)).body("results[0].pulp_href", equalTo(href)).body("$", hasKey("next"));

        asAdmin().contentType("application/json").body(Map.of("private", true)).patch(href).then().statusCode(200)
                .body("private", equalTo(true)).body("repository", equalTo(repo));
        asAdmin().delete(href).then().statusCode(204);
        asAdmin().get(href).then().statusCode(404);
    }

    @Test
    void invalidRequestsAreRefused() {
        String repo = repository("repo-" + unique()).getString("pulp_href");
        String taken = "taken-" + unique();
        create(Map.of("name", taken, "base_path", taken));
        for (Map<String, Object> body : new Map[] {
                Map.of("name", unique(), "base_path", "Upper/Case"),
                Map.of("name", unique(), "base_path", "a//b"),
                Map.of("name", unique(), "base_path", "x".repeat(256)),
                Map.of("name", unique(), "base_path", taken),
                Map.of("name", taken, "base_path", unique()),
                Map.of("base_path", unique()),
                Map.of("name", unique(), "base_path", unique(), "repository", repo,
                        "repository_version", repo + "versions/0/"),
                Map.of("name", unique(), "base_path", unique(), "repository", "/nope/")}) {
            asAdmin().contentType("application/json").body(body).post(DISTRIBUTIONS).then().statusCode(400);
        }
        given().contentType("application/json").body(Map.of("name", unique(), "base_path", unique())).post(DISTRIBUTIONS)
                .then().statusCode(401);
    }

    @Test
    void privateDistributionsNeedATokenToPull() {
        String name = RegistryTestClient.uniqueName("private");
        RegistryTestClient.image(name, 1).push(name, "v1").then().statusCode(201);
        String href = asAdmin().queryParam("base_path", name).get(DISTRIBUTIONS).jsonPath().getString("results[0].pulp_href");
        asAdmin().contentType("application/json").body(Map.of("private", true)).patch(href).then().statusCode(200);

        given().get("/v2/" + name + "/tags/list").then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"))
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("repository:" + name + ":pull"));
        String anonymous = given().queryParam("scope", "repository:" + name + ":pull").get("/token").path("token");
        given().header("Authorization", "Bearer " + anonymous).get("/v2/" + name + "/tags/list").then().statusCode(401);
        RegistryTestClient.admin(name).get("/v2/" + name + "/tags/list").then().statusCode(200);
        org.hamcrest.MatcherAssert.assertThat(given().get("/v2/_catalog").jsonPath().getList("repositories"),
                org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(name)));
    }

    @Test
    void aPinnedVersionServesThatVersionAndTakesNoPushes() {
        String name = RegistryTestClient.uniqueName("pinned");
        RegistryTestClient.TestImage first = RegistryTestClient.image(name, 1);
        first.push(name, "v1").then().statusCode(201);
        RegistryTestClient.image(name, 1).push(name, "v2").then().statusCode(201);
        String repo = asAdmin().queryParam("name", name).get(REPOSITORIES).jsonPath().getString("results[0].pulp_href");
        String pinned = "pinned/" + unique();
        create(Map.of("name", pinned, "base_path", pinned, "repository_version", repo + "versions/1/"));

        given().get("/v2/" + pinned + "/tags/list").then().statusCode(200).body("tags", org.hamcrest.Matchers.contains("v1"));
        given().get("/v2/" + pinned + "/manifests/v1").then().statusCode(200).header("Docker-Content-Digest", first.digest());
        given().get("/v2/" + pinned + "/manifests/v2").then().statusCode(404);
        RegistryTestClient.admin(pinned).post("/v2/" + pinned + "/blobs/uploads/").then().statusCode(403)
                .body("errors[0].code", equalTo("DENIED"));
    }

    @Test
    void deletingTheDistributionUnpublishesButKeepsTheRepository() {
        String name = RegistryTestClient.uniqueName("unpublish");
        RegistryTestClient.image(name, 1).push(name, "v1").then().statusCode(201);
        String href = asAdmin().queryParam("base_path", name).get(DISTRIBUTIONS).jsonPath().getString("results[0].pulp_href");
        asAdmin().delete(href).then().statusCode(204);
        RegistryTestClient.admin(name).get("/v2/" + name + "/manifests/v1").then().statusCode(404)
                .body("errors[0].code", equalTo("NAME_UNKNOWN"));
        // Anonymous callers learn no more about a missing repository than about a private one.
        given().get("/v2/" + name + "/manifests/v1").then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        asAdmin().queryParam("name", name).get(REPOSITORIES).then().body("count", equalTo(1));
    }
}
