package io.sigil.signing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;

/** REST helpers for the signing tests: authenticated requests and bounded waits for tasks. */
final class Api {

    static final String KEYS = "/pulp/api/v3/trusted-keys/";
    static final String SERVICES = "/pulp/api/v3/signing-services/";
    static final String REPOSITORIES = "/pulp/api/v3/repositories/container/container/";
    static final String SIGNATURES = "/pulp/api/v3/content/container/signatures/";
    static final String MANIFESTS = "/pulp/api/v3/content/container/manifests/";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Api() {
    }

    /** Requests as the bootstrapped admin (ignored while the API has no authentication). */
    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "password").contentType(ContentType.JSON);
    }

    static JsonPath post(String path, Object body, int expectedStatus) {
        return admin().body(body).post(path).then().log().ifValidationFails().statusCode(expectedStatus).extract().jsonPath();
    }

    static JsonPath get(String path) {
        return admin().get(path).then().statusCode(200).extract().jsonPath();
    }

    /** Waits for a task to finish and returns its JSON; fails unless it ended in {@code state}. */
    static JsonPath awaitTask(String href, String state) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JsonPath task = get(href);
            String current = task.getString("state");
            if (!current.equals("waiting") && !current.equals("running") && !current.equals("canceling")) {
                assertEquals(state, current, "task " + href + " error: " + task.getMap("error"));
                return task;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("task " + href + " did not finish: " + current);
            }
            sleep();
        }
    }

    /** Trusts a key and waits for the re-verification it starts; returns the key's JSON. */
    static JsonPath trust(String name, String type, String publicKey) {
        JsonPath key = post(KEYS, Map.of("name", name, "type", type, "public_key", publicKey), 201);
        awaitTask(key.getString("reverify_task"), "completed");
        return key;
    }

    /** Stops trusting a key and waits for the re-verification. */
    static void distrust(String keyHref) {
        String task = admin().delete(keyHref).then().statusCode(202).extract().jsonPath().getString("task");
        awaitTask(task, "completed");
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
