package io.sigil.auth;

import static io.restassured.RestAssured.given;
import static io.sigil.auth.TestUsers.as;
import static io.sigil.auth.TestUsers.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class TokenResourceTest {

    private static final String SERVICE = "sigil.test:5000";

    @Inject
    UserTokens userTokens;
    @Inject
    RegistryTokens tokens;

    @Inject
    RegistryAccessPolicy policy;

    @Inject
    TokenKeyStore keyStore;

    @Inject
    DataSource dataSource;

    private RegistryToken verify(Response response) {
        response.then().statusCode(200);
        String token = response.path("token");
        assertEquals(token, response.path("access_token"));
        return tokens.verify(token, SERVICE);
    }

    @Test
    void anonymousGetsPullOnlyOfPublicDistributions() {
        String basePath = TestUsers.uniqueName("tokens") + "/app";
        String repository = asAdmin().contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("name", basePath))
                .post("/pulp/api/v3/repositories/container/container/").then().statusCode(201).extract().path("pulp_href");
        asAdmin().contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("name", basePath, "base_path", basePath, "repository", repository))
                .post("/pulp/api/v3/distributions/container/container/").then().statusCode(201);
        Response response = given().queryParam("service", SERVICE)
                .queryParam("scope", "repository:" + basePath + ":pull,push")
                .queryParam("scope", "repository:team/missing:pull,push").get("/token");
        response.then().statusCode(200)
                .body("expires_in", equalTo(300))
                .body("issued_at", notNullValue());
        RegistryToken token = verify(response);
        assertEquals("", token.subject());
        assertEquals(List.of(RegistryScope.repository(basePath, "pull")), token.access());
        Instant issued = Instant.parse(response.path("issued_at"));
        assertEquals(token.issuedAt(), issued);
    }

    @Test
    void userGetsPullAndPushInFreeNamespaces() {
        String name = TestUsers.uniqueName("docker");
        TestUsers.create(name, "docker-pass", false);
        String a = TestUsers.uniqueName("free") + "/a";
        String b = TestUsers.uniqueName("free") + "/b";
        RegistryToken token = verify(as(name, "docker-pass").queryParam("service", SERVICE)
                .queryParam("scope", "repository:" + a + ":pull,push")
                .queryParam("scope", "repository:" + b + ":pull")
                .queryParam("scope", "registry:catalog:*")
                .get("/token/"));
        assertEquals(name, token.subject());
        assertEquals(List.of(RegistryScope.repository(a, "pull", "push"), RegistryScope.repository(b, "pull")),
                token.access());
    }

    @Test
    void adminGetsWhatItAsks() {
        RegistryToken token = verify(asAdmin().queryParam("service", SERVICE)
                .queryParam("scope", "repository:a:pull,push,delete registry:catalog:*").get("/token"));
        assertEquals("admin", token.subject());
        assertEquals(List.of(RegistryScope.repository("a", "pull", "push", "delete"),
                RegistryScope.parse("registry:catalog:*")), token.access());
    }

    @Test
    void loginWithoutScopeGetsAnEmptyToken() {
        RegistryToken token = verify(asAdmin().queryParam("service", SERVICE).get("/token"));
        assertEquals(List.of(), token.access());
    }

    @Test
    void wrongCredentialsAreUnauthorized() {
        as("admin", "wrong").queryParam("service", SERVICE).get("/token")
                .then().statusCode(401).header("WWW-Authenticate", "Basic realm=\"Sigil\"");
    }

    @Test
    void malformedScopeIsABadRequest() {
        given().queryParam("service", SERVICE).queryParam("scope", "repository:nope").get("/token")
                .then().statusCode(400).body("detail", notNullValue());
    }

    @Test
    void serviceDefaultsToTheHostAsked() {
        String token = given().queryParam("scope", "repository:a:pull").get("/token")
                .then().statusCode(200).extract().path("token");
        String host = "127.0.0.1:" + io.restassured.RestAssured.port; // sigil.content-origin of the test profile
        assertEquals("", tokens.verify(token, host).subject());
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, SERVICE));
    }

    @Test
    void tokenExpiresAfterFiveMinutes() {
        String token = given().queryParam("service", SERVICE).queryParam("scope", "repository:a:pull").get("/token")
                .then().statusCode(200).extract().path("token");
        RegistryTokens later = new RegistryTokens(policy, keyStore::current,
                Clock.offset(Clock.systemUTC(), RegistryTokens.LIFETIME.plusMinutes(1)));
        assertThrows(InvalidTokenException.class, () -> later.verify(token, SERVICE));
    }

    @Test
    void signingKeyIsStoredAndSurvivesARestart() {
        String token = asAdmin().queryParam("service", SERVICE).queryParam("scope", "repository:a:pull").get("/token")
                .then().statusCode(200).extract().path("token");
        // A fresh store is what another process, or this one after a restart, would build.
        TokenKeyStore restarted = new TokenKeyStore(dataSource);
        assertEquals(keyStore.current().kid(), restarted.current().kid());
        RegistryTokens afterRestart = new RegistryTokens(policy, restarted::current, Clock.systemUTC(), userTokens::current);
        assertTrue(afterRestart.verify(token, SERVICE).allows("repository", "a", "pull"));
    }
}
