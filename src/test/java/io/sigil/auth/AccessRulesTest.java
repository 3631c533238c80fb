package io.sigil.auth;

import static io.restassured.RestAssured.given;
import static io.sigil.auth.TestUsers.as;
import static io.sigil.auth.TestUsers.asAdmin;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sigil.testing.PostgresDatabaseResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules with {@code sigil.auth.anonymous-read=false} (the default), through test-only resources. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class AccessRulesTest {

    private static final String PLAIN = "/pulp/api/v3/test-probe/plain/";
    private static final String ANNOTATED = "/pulp/api/v3/test-probe/annotated/";

    private String user;

    @BeforeEach
    void createUser() {
        user = TestUsers.uniqueName("rules");
        TestUsers.create(user, "rules-pass", false);
    }

    @Test
    void unannotatedResourceNeedsAUserForReadsAndWrites() {
        given().get(PLAIN).then().statusCode(401).header("WWW-Authenticate", "Basic realm=\"Sigil\"")
                .contentType(ContentType.JSON);
        given().post(PLAIN).then().statusCode(401);
        given().delete(PLAIN).then().statusCode(401);
        as(user, "rules-pass").get(PLAIN).then().statusCode(200);
        as(user, "rules-pass").post(PLAIN).then().statusCode(200);
        as(user, "rules-pass").delete(PLAIN).then().statusCode(200);
    }

    @Test
    void currentUserIsWhoAuthenticated() {
        as(user, "rules-pass").get(PLAIN).then().statusCode(200)
                .body("username", equalTo(user))
                .body("admin", equalTo(false))
                .body("anonymous", equalTo(false));
        asAdmin().get(PLAIN).then().statusCode(200)
                .body("username", equalTo("admin"))
                .body("admin", equalTo(true));
        given().get(ANNOTATED + "public/").then().statusCode(200)
                .body("anonymous", equalTo(true))
                .body("username", equalTo(null));
    }

    @Test
    void adminMethodRefusesUsersAndAsksAnonymousToAuthenticate() {
        as(user, "rules-pass").get(ANNOTATED + "admin/").then().statusCode(403)
                .body("detail", equalTo("You do not have permission to perform this action."));
        given().get(ANNOTATED + "admin/").then().statusCode(401);
        asAdmin().get(ANNOTATED + "admin/").then().statusCode(200);
    }

    @Test
    void publicMethodIsOpenButStillRejectsWrongCredentials() {
        given().get(ANNOTATED + "public/").then().statusCode(200);
        as(user, "wrong").get(ANNOTATED + "public/").then().statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"Sigil\"");
    }

    @Test
    void classLevelReadStillNeedsAUserForWrites() {
        given().post(ANNOTATED).then().statusCode(401);
        as(user, "rules-pass").post(ANNOTATED).then().statusCode(200);
    }

    @Test
    void otherSchemesAreRejected() {
        given().header("Authorization", "Bearer abc.def.ghi").get(PLAIN).then().statusCode(401);
    }

    @Test
    void statusAndOpenApiStayOpen() {
        given().get("/pulp/api/v3/status/").then().statusCode(200);
        given().get("/pulp/api/v3/status").then().statusCode(200);
        given().get("/pulp/api/v3/docs/api.json").then().statusCode(200);
    }
}
