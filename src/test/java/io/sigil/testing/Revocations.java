package io.sigil.testing;

import static io.sigil.testing.Api.asAdmin;

/** Revocations are server-wide: tests that revoke a key lift every revocation afterwards, so others start clean. */
public final class Revocations {

    private Revocations() {
    }

    public static void liftAll() {
        for (String href : asAdmin().queryParam("limit", 1000).get("/pulp/api/v3/revoked-keys/").then().statusCode(200)
                .extract().jsonPath().getList("results.pulp_href", String.class)) {
            asAdmin().delete(href).then().statusCode(204);
        }
        // Lifting queues a re-check of stored verdicts: let it finish before the next test reads verdicts.
        for (String task : asAdmin().queryParam("name", "signatures.reverify").queryParam("state__in", "waiting,running")
                .get("/pulp/api/v3/tasks/").then().statusCode(200).extract().jsonPath().getList("results.pulp_href", String.class)) {
            Tasks.await(task);
        }
    }
}
