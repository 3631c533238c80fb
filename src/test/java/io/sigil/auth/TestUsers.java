package io.sigil.auth;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Helpers shared by the HTTP tests: the bootstrap admin, and fresh users with unique names. */
final class TestUsers {

    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "password"; // %test.sigil.admin.password

    private TestUsers() {
    }

    static RequestSpecification asAdmin() {
        return given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD);
    }

    static RequestSpecification as(String username, String password) {
        return given().auth().preemptive().basic(username, password);
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a user through the API and returns its href. */
    static String create(String username, String password, boolean admin) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", password);
        body.put("is_admin", admin);
        return asAdmin().contentType(ContentType.JSON).body(body)
                .post("/pulp/api/v3/users/")
                .then().statusCode(201)
                .extract().path("pulp_href");
    }
}
