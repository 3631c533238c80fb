package io.sigil.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sigil.testing.PostgresDatabaseResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class StatusResourceTest {

    @Test
    void reportsDatabaseConnection() {
        given().get("/pulp/api/v3/status/")
                .then().statusCode(200)
                .body("database_connection.connected", equalTo(true));
    }
}
