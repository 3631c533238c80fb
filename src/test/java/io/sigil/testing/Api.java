package io.sigil.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** REST Assured requests as the bootstrapped admin (the test profile pins its password). */
public final class Api {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "password";

    private Api() {
    }

    public static RequestSpecification asAdmin() {
        return given().auth().preemptive().basic(ADMIN, ADMIN_PASSWORD);
    }
}
