package io.sigil.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.sigil.testing.Api;
import io.sigil.testing.Tasks;
import java.util.Map;

/** REST shortcuts for the signing tests: paths, JSON requests as admin, tasks that must end in a given state. */
public final class SigningApi {

    public static final String KEYS = "/pulp/api/v3/trusted-keys/";
    public static final String SERVICES = "/pulp/api/v3/signing-services/";
    public static final String REPOSITORIES = "/pulp/api/v3/repositories/container/container/";
    public static final String SIGNATURES = "/pulp/api/v3/content/container/signatures/";
    public static final String MANIFESTS = "/pulp/api/v3/content/container/manifests/";

    private SigningApi() {
    }

    /** JSON requests as the bootstrapped admin. */
    public static RequestSpecification admin() {
        return Api.asAdmin().contentType(ContentType.JSON);
    }

    public static JsonPath post(String path, Object body, int expectedStatus) {
        return admin().body(body).post(path).then().log().ifValidationFails().statusCode(expectedStatus).extract().jsonPath();
    }

    public static JsonPath get(String path) {
        return admin().get(path).then().statusCode(200).extract().jsonPath();
    }

    /** Waits for a task to finish and returns its JSON; fails unless it ended in {@code state}. */
    public static JsonPath awaitTask(String href, String state) {
        JsonPath task = Tasks.await(href);
        assertEquals(state, task.getString("state"), () -> "task " + href + ": " + task.prettify());
        return task;
    }

    /** Trusts a key and waits for the re-verification it starts; returns the key's JSON. */
    public static JsonPath trust(String name, String type, String publicKey) {
        return trust(Map.of("name", name, "type", type, "public_key", publicKey));
    }

    /** Trusts a key given as its full request body (keyless, PKI, cosign with Rekor) and waits for re-verification. */
    public static JsonPath trust(Map<String, ?> request) {
        JsonPath key = post(KEYS, request, 201);
        awaitTask(key.getString("reverify_task"), "completed");
        return key;
    }

    /** Stops trusting a key and waits for the re-verification. */
    public static void distrust(String keyHref) {
        String task = admin().delete(keyHref).then().statusCode(202).extract().jsonPath().getString("task");
        awaitTask(task, "completed");
    }
}
