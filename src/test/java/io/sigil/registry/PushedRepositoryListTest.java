package io.sigil.registry;

import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sigil.testing.PostgresDatabaseResource;
import org.junit.jupiter.api.Test;

/**
 * A registry push creates a plain container repository (as current pulp_container does), so the repository list and
 * show that pulp-cli calls find it by name; its distribution comes with it.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class PushedRepositoryListTest {

    @Test
    void aPushedRepositoryIsListedAndShownAsAContainerRepository() {
        String name = RegistryTestClient.uniqueName("pushed");
        RegistryTestClient.image(name, 1).push(name, "v1").then().statusCode(201);

        String href = asAdmin().queryParam("name", name).queryParam("limit", 1).queryParam("offset", 0)
                .get("/pulp/api/v3/repositories/container/container/").then().statusCode(200)
                .body("count", equalTo(1)).body("results[0].pulp_type", equalTo("container.container"))
                .extract().path("results[0].pulp_href");
        asAdmin().get(href).then().statusCode(200).body("name", equalTo(name))
                .body("latest_version_href", equalTo(href + "versions/1/"))
                .body("prn", startsWith("prn:container.containerrepository:"));
        asAdmin().queryParam("name", name).get("/pulp/api/v3/repositories/").then().body("count", equalTo(1));

        asAdmin().queryParam("base_path", name).get("/pulp/api/v3/distributions/container/container/").then()
                .body("count", equalTo(1)).body("results[0].repository", equalTo(href));
    }
}
