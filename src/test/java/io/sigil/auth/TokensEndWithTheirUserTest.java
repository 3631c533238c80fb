package io.sigil.auth;

import static io.restassured.RestAssured.given;
import static io.sigil.auth.TestUsers.as;
import static io.sigil.auth.TestUsers.asAdmin;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A registry token works only while its user exists with the credentials it was issued under: deleting the user,
 * changing its password or its admin flag, or {@link UserTokens#endTokensOf} end it at once (in this process).
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class TokensEndWithTheirUserTest {

    @Inject
    UserTokens userTokens;

    @Test
    void aPasswordChangeEndsTheTokensButNotOtherChanges() {
        String name = TestUsers.uniqueName("tok");
        String href = TestUsers.create(name, "first-password", false);
        String token = token(name, "first-password");
        works(token);
        asAdmin().contentType(ContentType.JSON).body(Map.of("username", name)).patch(href).then().statusCode(200);
        works(token);
        asAdmin().contentType(ContentType.JSON).body(Map.of("password", "second-password")).patch(href).then().statusCode(200);
        ended(token);
        works(token(name, "second-password"));
    }

    @Test
    void deletingTheUserEndsItsTokensAndANewUserOfTheSameNameDoesNotRevive(){
        String name = TestUsers.uniqueName("tok");
        String href = TestUsers.create(name, "the-password", false);
        String token = token(name, "the-password");
        asAdmin().delete(href).then().statusCode(204);
        ended(token);
        TestUsers.create(name, "the-password", false);
        ended(token);
    }

    @Test
    void losingAdminEndsTheTokensAsDoesEndTokensOf() {
        String name = TestUsers.uniqueName("tok");
        String href = TestUsers.create(name, "admin-password", true);
        String token = token(name, "admin-password");
        asAdmin().contentType(ContentType.JSON).body(Map.of("is_admin", false)).patch(href).then().statusCode(200);
        ended(token);
        String next = token(name, "admin-password");
        works(next);
        userTokens.endTokensOf(name);
        ended(next);
    }

    @Test
    void othersCannotEndOrChangeAUserAndForgedTokensNeverWork() {
        String name = TestUsers.uniqueName("tok");
        String href = TestUsers.create(name, "own-password", false);
        String other = TestUsers.uniqueName("other");
        TestUsers.create(other, "other-password", false);
        String token = token(name, "own-password");
        given().contentType(ContentType.JSON).body(Map.of("password", "x-password")).patch(href).then().statusCode(401);
        as(other, "other-password").contentType(ContentType.JSON).body(Map.of("password", "x-password")).patch(href)
                .then().statusCode(403);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(Map.of("password", "x"))
                .patch(href).then().statusCode(401);
        as(other, "other-password").delete(href).then().statusCode(403);
        works(token);
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"" + name + "\",\"gen\":0}").getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        ended(tampered);
    }

    private static String token(String username, String password) {
        return as(username, password).queryParam("scope", "repository:some/repo:pull").get("/token")
                .then().statusCode(200).extract().path("token");
    }

    private static void works(String token) {
        given().header("Authorization", "Bearer " + token).get("/v2/").then().statusCode(200);
    }

    private static void ended(String token) {
        given().header("Authorization", "Bearer " + token).get("/v2/").then().statusCode(401)
                .body(containsString("token is"));
    }
}
