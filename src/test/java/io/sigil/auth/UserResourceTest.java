package io.sigil.auth;

import static io.restassured.RestAssured.given;
import static io.sigil.auth.TestUsers.as;
import static io.sigil.auth.TestUsers.asAdmin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sigil.testing.PostgresDatabaseResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class UserResourceTest {

    private static final String USERS = "/pulp/api/v3/users/";

    @Test
    void bootstrappedAdminExistsAndIsAdmin() {
        asAdmin().queryParam("username", "admin").get(USERS)
                .then().statusCode(200)
                .body("count", equalTo(1))
                .body("results[0].username", equalTo("admin"))
                .body("results[0].is_admin", equalTo(true));
    }

    @Test
    void wrongPasswordIsUnauthorizedWithBasicChallenge() {
        as("admin", "not-the-password").get(USERS)
                .then().statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"Sigil\"")
                .contentType(ContentType.JSON)
                .body("detail", equalTo("Invalid username/password."));
        as("nobody-" + System.nanoTime(), "password").get(USERS).then().statusCode(401);
    }

    @Test
    void noCredentialsIsUnauthorizedWithBasicChallenge() {
        given().get(USERS)
                .then().statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"Sigil\"")
                .body("detail", equalTo("Authentication credentials were not provided."));
    }

    @Test
    void nonAdminCannotManageUsers() {
        String name = TestUsers.uniqueName("plain");
        String href = TestUsers.create(name, "plain-pass", false);
        as(name, "plain-pass").get(USERS)
                .then().statusCode(403)
                .contentType(ContentType.JSON)
                .body("detail", equalTo("You do not have permission to perform this action."));
        as(name, "plain-pass").contentType(ContentType.JSON)
                .body(Map.of("username", TestUsers.uniqueName("x"), "password", "p", "is_admin", true))
                .post(USERS).then().statusCode(403);
        as(name, "plain-pass").contentType(ContentType.JSON).body(Map.of("is_admin", true))
                .patch(href).then().statusCode(403);
        as(name, "plain-pass").delete(href).then().statusCode(403);
    }

    @Test
    void createReadUpdateDelete() {
        String name = TestUsers.uniqueName("crud");
        Response created = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", "first-pass"))
                .post(USERS);
        created.then().statusCode(201)
                .body("username", equalTo(name))
                .body("is_admin", equalTo(false))
                .body("pulp_created", notNullValue())
                .body("pulp_href", matchesPattern("/pulp/api/v3/users/[0-9a-f-]{36}/"));
        String href = created.path("pulp_href");

        asAdmin().get(href).then().statusCode(200).body("username", equalTo(name));

        String renamed = name + "-renamed";
        asAdmin().contentType(ContentType.JSON).body(Map.of("username", renamed, "is_admin", true))
                .put(href).then().statusCode(200)
                .body("username", equalTo(renamed))
                .body("is_admin", equalTo(true));
        // Promoted: the user can now manage users.
        as(renamed, "first-pass").get(USERS).then().statusCode(200);

        asAdmin().contentType(ContentType.JSON).body(Map.of("is_admin", false))
                .patch(href).then().statusCode(200)
                .body("username", equalTo(renamed))
                .body("is_admin", equalTo(false));
        as(renamed, "first-pass").get(USERS).then().statusCode(403);

        asAdmin().delete(href).then().statusCode(204);
        asAdmin().get(href).then().statusCode(404);
        as(renamed, "first-pass").get(USERS).then().statusCode(401);
    }

    @Test
    void passwordChangeTakesEffectAtOnce() {
        String name = TestUsers.uniqueName("pw");
        String href = TestUsers.create(name, "old-pass", false);
        as(name, "old-pass").get("/pulp/api/v3/test-probe/plain/").then().statusCode(200); // now cached
        asAdmin().contentType(ContentType.JSON).body(Map.of("password", "new-pass"))
                .patch(href).then().statusCode(200);
        as(name, "old-pass").get("/pulp/api/v3/test-probe/plain/").then().statusCode(401);
        as(name, "new-pass").get("/pulp/api/v3/test-probe/plain/").then().statusCode(200);
    }

    @Test
    void passwordIsNeverReturned() {
        String name = TestUsers.uniqueName("secret");
        Response created = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", "hidden-pass")).post(USERS);
        created.then().statusCode(201).body("$", not(hasKey("password"))).body("$", not(hasKey("password_hash")));
        String href = created.path("pulp_href");
        for (Response r : new Response[] {
                asAdmin().get(href),
                asAdmin().contentType(ContentType.JSON).body(Map.of("password", "other-pass")).patch(href),
                asAdmin().get(USERS)}) {
            String body = r.asString();
            assertEquals(200, r.statusCode(), body);
            if (!body.contains(name) || body.contains("password") || body.contains("$2")) {
                throw new AssertionError("password or hash leaked, or user missing: " + body);
            }
        }
        asAdmin().get(USERS).then().body("results", everyItem(not(hasKey("password"))));
    }

    @Test
    void invalidInputIsReportedByField() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("password", "p")).post(USERS)
                .then().statusCode(400).body("username", contains("This field is required."));
        asAdmin().contentType(ContentType.JSON).body(Map.of("username", TestUsers.uniqueName("np"))).post(USERS)
                .then().statusCode(400).body("password", contains("This field is required."));
        asAdmin().contentType(ContentType.JSON).body(Map.of("username", "has space", "password", "p")).post(USERS)
                .then().statusCode(400).body("username[0]", matchesPattern("Enter a valid username.*"));
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("username", TestUsers.uniqueName("long"), "password", "x".repeat(73))).post(USERS)
                .then().statusCode(400).body("$", hasKey("password"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("username", "admin", "password", "p")).post(USERS)
                .then().statusCode(400).body("username", contains("A user with that username already exists."));
    }

    @Test
    void renamingOntoAnotherUserIsRefused() {
        String href = TestUsers.create(TestUsers.uniqueName("ren"), "p", false);
        asAdmin().contentType(ContentType.JSON).body(Map.of("username", "admin")).patch(href)
                .then().statusCode(400).body("username", contains("A user with that username already exists."));
    }

    @Test
    void unknownUserIsNotFound() {
        asAdmin().get(USERS + "00000000-0000-0000-0000-000000000000/").then().statusCode(404);
        asAdmin().get(USERS + "not-a-uuid/").then().statusCode(404).body("detail", notNullValue());
    }

    @Test
    void listIsPaginatedWithLimitAndOffset() {
        for (int i = 0; i < 3; i++) {
            TestUsers.create(TestUsers.uniqueName("page"), "p", false);
        }
        int count = asAdmin().get(USERS).then().statusCode(200).extract().path("count");
        asAdmin().queryParam("limit", 2).get(USERS)
                .then().statusCode(200)
                .body("count", equalTo(count))
                .body("results.size()", equalTo(2))
                .body("previous", nullValue())
                .body("next", matchesPattern("http://.*/pulp/api/v3/users/\\?.*offset=2.*"));
        asAdmin().queryParam("limit", 2).queryParam("offset", 2).get(USERS)
                .then().statusCode(200)
                .body("previous", matchesPattern("http://.*/pulp/api/v3/users/\\?limit=2"))
                .body("results.username", not(hasItem("admin")));
        asAdmin().queryParam("limit", 2).queryParam("offset", count - 1).get(USERS)
                .then().statusCode(200).body("results.size()", equalTo(1)).body("next", nullValue());
        // An unusable limit is refused, naming the parameter, rather than silently replaced by the default page size.
        asAdmin().queryParam("limit", 0).get(USERS).then().statusCode(400).body("limit", notNullValue());
    }
}
