package io.sigil.api;

import static io.restassured.RestAssured.given;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.sigil.testing.Users;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Tasks;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Task records belong to who started them: only they or an admin may cancel or delete them, and a failed task shows
 * non-admins its message, never the server's stack trace.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class TaskOwnershipTest {

    @Test
    void onlyTheOwnerOrAnAdminDeletesATaskAndOnlyAdminsSeeTracebacks() {
        String owner = user();
        String stranger = user();
        String repository = as(owner).contentType(ContentType.JSON).body(Map.of("name", "owned-" + UUID.randomUUID()))
                .post("/pulp/api/v3/repositories/container/container/").then().statusCode(201).extract().path("pulp_href");
        String remote = as(owner).contentType(ContentType.JSON).body(Map.of("name", "r-" + UUID.randomUUID(),
                        "url", "http://127.0.0.1:9", "upstream_name", "app"))
                .post("/pulp/api/v3/remotes/container/container/").then().statusCode(201).extract().path("pulp_href");
        String task = as(owner).contentType(ContentType.JSON).body(Map.of("remote", remote)).post(repository + "sync/")
                .then().statusCode(202).extract().path("task");
        Tasks.await(task);

        as(owner).get(task).then().statusCode(200).body("state", equalTo("failed"))
                .body("error.description", containsString("127.0.0.1:9")).body("error.traceback", nullValue())
                .body(not(containsString("\tat ")));
        as(stranger).get("/pulp/api/v3/tasks/?limit=1000").then().statusCode(200).body(not(containsString("\tat io.")));
        asAdmin().get(task).then().statusCode(200).body("error.traceback", notNullValue());

        as(stranger).delete(task).then().statusCode(403).body("detail", containsString("Only the user who started task"));
        as(stranger).contentType(ContentType.JSON).body(Map.of("state", "canceled")).patch(task).then().statusCode(403);
        given().delete(task).then().statusCode(401);
        given().auth().preemptive().basic(owner, "wrong-password").delete(task).then().statusCode(401);
        given().header("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.").delete(task).then().statusCode(401);
        asAdmin().get(task).then().statusCode(200); // still there

        as(owner).delete(task).then().statusCode(204);
        asAdmin().get(task).then().statusCode(404);
    }

    @Test
    void anAdminDeletesAnyonesTask() {
        String owner = user();
        String repository = as(owner).contentType(ContentType.JSON).body(Map.of("name", "owned-" + UUID.randomUUID()))
                .post("/pulp/api/v3/repositories/container/container/").then().statusCode(201).extract().path("pulp_href");
        String task = as(owner).contentType(ContentType.JSON).body(Map.of()).post(repository + "modify/")
                .then().statusCode(202).extract().path("task");
        Tasks.await(task);
        asAdmin().delete(task).then().statusCode(204);
    }

    private static String user() {
        String name = "tasker-" + UUID.randomUUID().toString().substring(0, 8);
        asAdmin().contentType(ContentType.JSON).body(Map.of("username", name, "password", name + "-pw"))
                .post("/pulp/api/v3/users/").then().statusCode(201);
        // Creating repositories and remotes is a role of its own now; owners of what they create follow from it.
        Users.grantGlobally(name, "container.containerrepository_creator");
        Users.grantGlobally(name, "container.containerremote_creator");
        return name;
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-pw");
    }
}
