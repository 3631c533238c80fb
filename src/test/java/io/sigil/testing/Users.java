package io.sigil.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Non-admin users for permission tests: created through the API, given roles through the API, as the admin. */
public final class Users {

    public static final String PASSWORD = "user-pass";

    private Users() {
    }

    /** A new user with a unique name (lower case, so it can also be a namespace); returns the username. */
    public static String create(String prefix) {
        String username = prefix + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>(Map.of("username", username, "password", PASSWORD, "is_admin", false));
        Api.asAdmin().contentType(ContentType.JSON).body(body).post("/pulp/api/v3/users/").then().statusCode(201);
        return username;
    }

    public static String href(String username) {
        return Api.asAdmin().queryParam("username", username).get("/pulp/api/v3/users/").then().statusCode(200)
                .extract().path("results[0].pulp_href");
    }

    /** JSON requests as that user. */
    public static RequestSpecification as(String username) {
        return given().auth().preemptive().basic(username, PASSWORD).contentType(ContentType.JSON);
    }

    /** Gives the user a role on one object ({@code <object href>add_role/}). */
    public static void grant(String username, String role, String objectHref) {
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("role", role, "users", List.of(username)))
                .post(objectHref + "add_role/").then().log().ifValidationFails().statusCode(201);
    }

    /** Takes a role on one object from the user. */
    public static void revoke(String username, String role, String objectHref) {
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("role", role, "users", List.of(username)))
                .post(objectHref + "remove_role/").then().log().ifValidationFails().statusCode(201);
    }

    /** Gives the user a role globally ({@code content_object: null}); returns the assignment's href. */
    public static String grantGlobally(String username, String role) {
        Map<String, Object> body = new HashMap<>();
        body.put("role", role);
        body.put("content_object", null);
        return Api.asAdmin().contentType(ContentType.JSON).body(body).post(href(username) + "roles/")
                .then().log().ifValidationFails().statusCode(201).extract().path("pulp_href");
    }

    public static String tokenAsAdmin(String scope) {
        return given().auth().preemptive().basic(Api.ADMIN, Api.ADMIN_PASSWORD).queryParam("scope", scope).get("/token")
                .then().statusCode(200).extract().path("token");
    }

    /** A registry token for the user (null user: anonymous) and the actions it carries for {@code name}. */
    public static String token(String username, String scope) {
        RequestSpecification request = username == null ? given() : given().auth().preemptive().basic(username, PASSWORD);
        return request.queryParam("scope", scope).get("/token").then().statusCode(200).extract().path("token");
    }
}
