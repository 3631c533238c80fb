package io.sigil.tasks;

import static io.sigil.testing.Api.asAdmin;
import static io.sigil.tasks.TaskTesting.key;
import static io.sigil.tasks.TaskTesting.resource;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class TasksApiTest {

    private static final String TASKS = "/pulp/api/v3/tasks/";

    @Inject
    TaskDispatcher tasks;

    private TaskTesting t;

    @BeforeEach
    void setUp() {
        t = new TaskTesting(tasks);
    }

    @AfterEach
    void releaseLeftovers() {
        TestHandlers.releaseAll();
    }

    @Test
    void showsTaskInPulpShape() {
        String repo = resource();
        TaskRef ref = tasks.dispatch("test.echo", Map.of("href", "/pulp/api/v3/x/1/"), List.of(repo), List.of("remote:r"));
        t.finished(ref.id());

        asAdmin().get(ref.href()).then().statusCode(200)
                .body("pulp_href", equalTo(ref.href()))
                .body("pulp_created", notNullValue())
                .body("name", equalTo("test.echo"))
                .body("state", equalTo("completed"))
                .body("started_at", notNullValue())
                .body("finished_at", notNullValue())
                .body("error", nullValue())
                .body("worker", notNullValue())
                .body("progress_reports", hasSize(1))
                .body("progress_reports[0].message", equalTo("Counting items"))
                .body("progress_reports[0].code", equalTo("test.items"))
                .body("progress_reports[0].state", equalTo("completed"))
                .body("progress_reports[0].done", equalTo(3))
                .body("progress_reports[0].total", equalTo(3))
                .body("created_resources", equalTo(List.of("/pulp/api/v3/x/1/")))
                .body("reserved_resources_record", equalTo(List.of(repo, "shared:remote:r")))
                .body("result.echo.href", equalTo("/pulp/api/v3/x/1/"));
    }

    @Test
    void showsFailureError() {
        TaskRef ref = tasks.dispatch("test.fail", Map.of("message", "it broke"), List.of(), List.of());
        t.finished(ref.id());

        asAdmin().get(ref.href()).then().statusCode(200)
                .body("state", equalTo("failed"))
                .body("error.description", equalTo("it broke"))
                .body("error.traceback", containsString("IllegalStateException"));
    }

    @Test
    void listsNewestFirstInPagesWithFilters() {
        List<TaskRef> refs = List.of(noop(), noop(), noop());
        refs.forEach(ref -> t.finished(ref.id()));

        JsonPath first = asAdmin().queryParam("name", "test.noop").queryParam("limit", 2).get(TASKS)
                .then().statusCode(200)
                .body("count", equalTo(3))
                .body("results", hasSize(2))
                .body("results[0].pulp_href", equalTo(refs.get(2).href()))
                .body("results[1].pulp_href", equalTo(refs.get(1).href()))
                .body("previous", nullValue())
                .body("next", containsString("offset=2"))
                .body("next", containsString("name=test.noop"))
                .extract().jsonPath();

        asAdmin().get(first.getString("next")).then().statusCode(200)
                .body("count", equalTo(3))
                .body("results", hasSize(1))
                .body("results[0].pulp_href", equalTo(refs.get(0).href()))
                .body("next", nullValue())
                .body("previous", containsString("limit=2"))
                .body("previous", not(containsString("offset")));

        assertTrue(count(Map.of()) >= 3, "no filter lists every task");
        assertEquals(3, count(Map.of("name", "test.noop", "state", "completed")));
        assertEquals(0, count(Map.of("name", "test.noop", "state", "failed")));
        assertEquals(3, count(Map.of("name", "test.noop", "state__in", "failed,completed")));
        assertEquals(0, count(Map.of("name", "test.noop", "state", "completed", "state__in", "failed,waiting")));
    }

    @Test
    void rejectsUnknownStateFilter() {
        asAdmin().queryParam("state", "sleeping").get(TASKS).then().statusCode(400)
                .body("state[0]", containsString("sleeping"));
    }

    @Test
    void unknownTaskIsNotFound() {
        asAdmin().get(TASKS + UUID.randomUUID() + "/").then().statusCode(404).body("detail", equalTo("Not found."));
        asAdmin().get(TASKS + "not-a-uuid/").then().statusCode(404);
        asAdmin().delete(TASKS + UUID.randomUUID() + "/").then().statusCode(404);
    }

    @Test
    void cancelsWaitingAndRunningTasksByPatch() {
        String repo = resource();
        UUID running = t.hold(key(), List.of(repo), List.of()); // never released: only the cancel ends it
        t.awaitState(running, TaskState.RUNNING);
        UUID waiting = t.hold(key(), List.of(repo), List.of());

        patchState(waiting, "canceled").then().statusCode(200).body("state", equalTo("canceled"));
        patchState(waiting, "canceled").then().statusCode(409);
        patchState(running, "running").then().statusCode(400).body("state[0]", containsString("canceled"));
        patchState(running, "canceled").then().statusCode(200).body("state", oneOf("canceling", "canceled"));

        assertEquals(TaskState.CANCELED, t.finished(running).state());
    }

    @Test
    void deletesOnlyFinishedTasks() {
        String release = key();
        UUID id = t.hold(release, List.of(resource()), List.of());

        asAdmin().delete(TASKS + id + "/").then().statusCode(409);
        TestHandlers.release(release);
        t.finished(id);
        asAdmin().delete(TASKS + id + "/").then().statusCode(204);
        asAdmin().get(TASKS + id + "/").then().statusCode(404);
    }

    private TaskRef noop() {
        return tasks.dispatch("test.noop", null, List.of(), List.of());
    }

    private static int count(Map<String, String> query) {
        return asAdmin().queryParams(query).get(TASKS).then().statusCode(200).extract().path("count");
    }

    private static io.restassured.response.Response patchState(UUID id, String state) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("state", state)).patch(TASKS + id + "/");
    }
}
