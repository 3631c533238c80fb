package io.sigil.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

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

    @Test
    void reportsFilesystemStorageSizes() {
        given().get("/pulp/api/v3/status/")
                .then().statusCode(200)
                .body("storage.backend", equalTo("file"))
                .body("storage.reachable", equalTo(true))
                .body("storage.total", greaterThan(0L))
                .body("storage.free", notNullValue())
                .body("storage.used", notNullValue());
    }

    @Test
    void listsThisProcessWorkerWithItsHeartbeat() {
        given().get("/pulp/api/v3/status/")
                .then().statusCode(200)
                .body("online_workers.size()", greaterThan(0))
                .body("online_workers.last_heartbeat", hasItem(notNullValue()))
                .body("online_workers.name", hasItem(notNullValue()));
    }

    @Test
    void readinessIncludesTheBlobStore() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.name", hasItem("blob store"));
    }
}
