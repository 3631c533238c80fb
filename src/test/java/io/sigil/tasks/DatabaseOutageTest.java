package io.sigil.tasks;

import static io.sigil.tasks.TaskTesting.key;
import static io.sigil.tasks.TaskTesting.resource;
import static io.restassured.RestAssured.given;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sigil.testing.DatabaseOutage;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The database goes away while a task runs and comes back: the task ends, the next one runs, no restart. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class DatabaseOutageTest {

    private static final Logger LOG = Logger.getLogger(DatabaseOutageTest.class);

    @Inject
    TaskDispatcher tasks;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @AfterEach
    void releaseLeftovers() {
        TestHandlers.releaseAll();
    }

    @Test
    void aTaskThatEndsDuringAnOutageIsRecordedWhenTheDatabaseReturnsAndTheNextTaskRuns() throws Exception {
        TaskTesting t = new TaskTesting(tasks);
        String repo = resource();
        String key = key();
        UUID id = t.hold(key, List.of(repo), List.of());
        t.awaitState(id, TaskState.RUNNING);

        long returned;
        try (DatabaseOutage outage = DatabaseOutage.begin(jdbcUrl)) {
            TestHandlers.release(key); // the task ends while nothing can record it
            Thread.sleep(3_000);
            outage.cutConnections();
            outage.end();
            returned = System.nanoTime();
        }

        TaskView task = t.finished(id);
        long recoveredMs = (System.nanoTime() - returned) / 1_000_000;
        LOG.infof("the task's end was recorded %d ms after the database returned", recoveredMs);
        assertTrue(Set.of(TaskState.COMPLETED, TaskState.FAILED).contains(task.state()), task.state().value());
        UUID next = tasks.dispatch("test.quick", Map.of(), List.of(repo), List.of()).id();
        assertEquals(TaskState.COMPLETED, t.finished(next).state(), "the repository's next task runs");
        assertTrue(recoveredMs < 15_000, "recovered in " + recoveredMs + " ms");
    }

    @Test
    void theApiAndTheRegistryAnswer503WithRetryAfterWhileTheDatabaseIsDownAndRecoverWithoutRestart() throws Exception {
        asAdmin().get("/pulp/api/v3/repositories/container/container/").then().statusCode(200);
        String token = asAdmin().queryParam("scope", "repository:outage:pull").get("/token").then().statusCode(200)
                .extract().path("token");
        try (DatabaseOutage outage = DatabaseOutage.begin(jdbcUrl)) {
            asAdmin().get("/pulp/api/v3/repositories/container/container/").then().statusCode(503)
                    .header("Retry-After", "5").body("detail", containsString("database is unavailable"));
            given().header("Authorization", "Bearer " + token).get("/v2/outage/tags/list").then().statusCode(503)
                    .header("Retry-After", "5").body("errors[0].code", org.hamcrest.Matchers.equalTo("UNAVAILABLE"));
            // Credentials not cached yet need the database: the token endpoint says so instead of refusing them.
            given().auth().preemptive().basic("someone", "secret").queryParam("scope", "repository:outage:pull")
                    .get("/token").then().statusCode(503).header("Retry-After", "5");
            given().get("/q/health/ready").then().statusCode(503);
        }
        long returned = System.nanoTime();
        long deadline = returned + 30_000_000_000L;
        while (asAdmin().get("/pulp/api/v3/repositories/container/container/").statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "the API did not recover within 30 s");
            Thread.sleep(100);
        }
        LOG.infof("the API answered 200 again %d ms after the database returned", (System.nanoTime() - returned) / 1_000_000);
        given().header("Authorization", "Bearer " + token).get("/v2/outage/tags/list").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
