package io.sigil.rbac;

import io.restassured.http.ContentType;
import io.sigil.testing.Api;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Objects the admin creates for the permission tests. */
final class RbacFixtures {

    static final String REPOSITORIES = "/pulp/api/v3/repositories/container/container/";
    static final String DISTRIBUTIONS = "/pulp/api/v3/distributions/container/container/";
    static final String REMOTES = "/pulp/api/v3/remotes/container/container/";

    private RbacFixtures() {
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    static String repository(String name) {
        return Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", name)).post(REPOSITORIES)
                .then().statusCode(201).extract().path("pulp_href");
    }

    static String distribution(String basePath, String repositoryHref, boolean isPrivate) {
        Map<String, Object> body = new HashMap<>(Map.of("name", basePath, "base_path", basePath, "private", isPrivate));
        if (repositoryHref != null) {
            body.put("repository", repositoryHref);
        }
        return Api.asAdmin().contentType(ContentType.JSON).body(body).post(DISTRIBUTIONS)
                .then().log().ifValidationFails().statusCode(201).extract().path("pulp_href");
    }

    static String remote(String name) {
        return Api.asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", name, "url", "https://registry.example.com", "upstream_name", "library/busybox"))
                .post(REMOTES).then().log().ifValidationFails().statusCode(201).extract().path("pulp_href");
    }
}
