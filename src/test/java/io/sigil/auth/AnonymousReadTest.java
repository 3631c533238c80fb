package io.sigil.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sigil.testing.PostgresDatabaseResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code sigil.auth.anonymous-read=true}: anonymous reads pass, nothing else does. */
@QuarkusTest
@TestProfile(AnonymousReadTest.AnonymousRead.class)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class AnonymousReadTest {

    public static class AnonymousRead implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sigil.auth.anonymous-read", "true");
        }
    }

    @Test
    void anonymousMayRead() {
        given().get("/pulp/api/v3/test-probe/plain/").then().statusCode(200).body("anonymous", equalTo(true));
        given().get("/pulp/api/v3/test-probe/annotated/").then().statusCode(200);
    }

    @Test
    void anonymousMayNotWrite() {
        given().post("/pulp/api/v3/test-probe/plain/").then().statusCode(401);
        given().delete("/pulp/api/v3/test-probe/plain/").then().statusCode(401);
        given().post("/pulp/api/v3/test-probe/annotated/").then().statusCode(401);
    }

    @Test
    void adminReadsStayClosed() {
        given().get("/pulp/api/v3/test-probe/annotated/admin/").then().statusCode(401);
        given().get("/pulp/api/v3/users/").then().statusCode(401);
    }

    @Test
    void wrongCredentialsAreStillRejected() {
        given().auth().preemptive().basic("admin", "wrong").get("/pulp/api/v3/test-probe/plain/")
                .then().statusCode(401);
    }
}
