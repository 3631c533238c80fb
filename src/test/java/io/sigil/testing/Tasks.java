package io.sigil.testing;

import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Follows task hrefs returned by 202 answers until the task finishes. */
public final class Tasks {

    private Tasks() {
    }

    /** Polls the task (up to 60 s) and returns its final JSON. */
    public static JsonPath await(String taskHref) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            JsonPath task = asAdmin().get(taskHref).then().statusCode(200).extract().jsonPath();
            String state = task.getString("state");
            if (!state.equals("waiting") && !state.equals("running") && !state.equals("canceling")) {
                return task;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return fail("task " + taskHref + " did not finish in time");
    }

    /** Takes a 202 answer, waits for its task and asserts it completed. */
    public static JsonPath completed(Response accepted) {
        String href = accepted.then().statusCode(202).extract().path("task");
        JsonPath task = await(href);
        assertEquals("completed", task.getString("state"), () -> "task failed: " + task.prettify());
        return task;
    }
}
