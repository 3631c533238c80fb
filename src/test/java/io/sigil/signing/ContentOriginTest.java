package io.sigil.signing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.content.Manifest;
import io.sigil.signature.SigningApi;
import io.sigil.repository.Repository;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code sigil.content-origin} (the test profile sets {@code http://127.0.0.1:<port>}) names the token realm and the
 * host of default references; a forged {@code Host} header changes neither.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class ContentOriginTest {

    private static final String FORGED_HOST = "attacker.example:443";

    @Inject
    SigningRepos repos;

    static String origin() {
        return "127.0.0.1:" + RestAssured.port;
    }

    @Test
    void theTokenRealmComesFromTheContentOriginNotTheHostHeader() {
        given().header("Host", FORGED_HOST).get("/v2/").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"http://" + origin() + "/token\",service=\"" + origin() + "\""));
        given().header("Host", FORGED_HOST).post("/v2/some/thing/blobs/uploads/").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer realm=\"http://" + origin() + "/token\""));
        String token = given().header("Host", FORGED_HOST).get("/token").then().statusCode(200).extract().path("token");
        given().header("Authorization", "Bearer " + token).get("/v2/").then().statusCode(200); // issued for the origin
        given().get("/pulp/api/v3/status/").then().statusCode(200)
                .body("content_settings.content_origin", equalTo("http://" + origin()));
    }

    @Test
    void signingAndReportsDefaultToTheOriginAndTheDistributionPath() {
        Repository repository = repos.create();
        Manifest image = repos.image();
        repos.add(repository, repos.tag("v1", image));
        String basePath = "origin/" + UUID.randomUUID().toString().substring(0, 8);
        SigningApi.admin().contentType(ContentType.JSON).body(Map.of("name", basePath, "base_path", basePath,
                        "repository", SigningApi.REPOSITORIES + repository.pulpId + "/"))
                .post("/pulp/api/v3/distributions/container/container/").then().statusCode(201);
        JsonPath service = SigningApi.post(SigningApi.SERVICES, Map.of("name", "origin " + UUID.randomUUID(), "type", "atomic",
                "generate", true, "allowed_references", List.of(origin() + "/")), 201);

        String task = SigningApi.admin().header("Host", FORGED_HOST).contentType(ContentType.JSON)
                .body(Map.of("signing_service", service.getString("pulp_href")))
                .post(SigningApi.REPOSITORIES + repository.pulpId + "/sign/").then().statusCode(202).extract().path("task");
        SigningApi.awaitTask(task, "completed");
        String version = SigningRepos.versionHref(repository, repos.latest(repository));
        assertEquals(List.of(origin() + "/" + basePath + ":v1"),
                SigningApi.get(SigningApi.SIGNATURES + "?repository_version=" + version).getList("results.docker_reference"));

        JsonPath report = new JsonPath(SigningApi.admin().header("Host", FORGED_HOST).get(version + "signature_report/")
                .then().statusCode(200).extract().asString());
        assertEquals(List.of("exact"), report.getList("results[0].manifest.signatures.match"));
    }

    @Test
    void anonymousAndForgedCallersCannotSign() {
        Repository repository = repos.create();
        repos.add(repository, repos.tag("v1", repos.image()));
        int before = repos.latest(repository);
        String sign = SigningApi.REPOSITORIES + repository.pulpId + "/sign/";
        given().contentType(ContentType.JSON).body(Map.of()).post(sign).then().statusCode(401);
        given().auth().preemptive().basic("admin", "not-the-password").contentType(ContentType.JSON).body(Map.of())
                .post(sign).then().statusCode(401);
        given().header("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2ln").contentType(ContentType.JSON)
                .body(Map.of()).post(sign).then().statusCode(401);
        assertEquals(before, repos.latest(repository));
    }
}
