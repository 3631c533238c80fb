package io.sigil.rbac;

import static io.sigil.rbac.RbacFixtures.REPOSITORIES;
import static io.sigil.rbac.RbacFixtures.unique;
import static io.sigil.testing.Users.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sigil.testing.Api;
import io.sigil.testing.PostgresDatabaseResource;
import org.junit.jupiter.api.Assertions;
import io.sigil.testing.Tasks;
import io.sigil.testing.Users;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signing is a permission and a service says what it may sign: the signer role on the service, content rights on
 * the repository, and a reference inside the service's allowed_references.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class SigningPermissionsTest {

    private static final String SERVICES = "/pulp/api/v3/signing-services/";

    private static String service(List<String> allowed) {
        return Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", unique("svc"), "type", "cosign", "generate", true,
                "allowed_references", allowed)).post(SERVICES).then().log().ifValidationFails().statusCode(201)
                .extract().path("pulp_href");
    }

    /** A repository bob owns, holding one tagged image (pushed into his own namespace). */
    private static String bobsRepository(String bob) {
        String name = bob + "/app";
        RegistryPush.push(Users.token(bob, "repository:" + name + ":pull,push"), name, "v1").then().statusCode(201);
        return as(bob).queryParam("name", name).get(REPOSITORIES).then().statusCode(200).body("count", equalTo(1))
                .extract().path("results[0].pulp_href");
    }

    private static int latestVersion(String repo) {
        String href = Api.asAdmin().get(repo).then().extract().path("latest_version_href");
        return Integer.parseInt(href.replaceAll(".*/versions/(\\d+)/$", "$1"));
    }

    @Test
    void aNonAdminCannotSignWithTheAdminsService() {
        String bob = Users.create("bob");
        String service = service(List.of("registry.example.com/team/"));
        String repo = bobsRepository(bob);
        int before = latestVersion(repo);

        as(bob).body(Map.of("signing_service", service, "reference", "registry.example.com/team/app")).post(repo + "sign/")
                .then().statusCode(403).body("detail", containsString("sigil.signingservice_signer"));
        as(bob).get(service).then().statusCode(404);
        Users.grant(bob, "sigil.signingservice_signer", service);
        as(bob).get(service).then().statusCode(200);

        // Outside the service's references: 403 naming both.
        String serviceName = Api.asAdmin().get(service).then().extract().path("name");
        as(bob).body(Map.of("signing_service", service, "reference", "registry.example.com/other/app")).post(repo + "sign/")
                .then().statusCode(403).body("detail", containsString(serviceName))
                .body("detail", containsString("registry.example.com/other/app"));
        Assertions.assertEquals(before, latestVersion(repo));

        String task = as(bob).body(Map.of("signing_service", service, "reference", "registry.example.com/team/app"))
                .post(repo + "sign/").then().statusCode(202).extract().path("task");
        Tasks.await(task);
        Assertions.assertEquals(before + 1, latestVersion(repo));
    }

    @Test
    void signingNeedsContentRightsOnTheRepository() {
        String bob = Users.create("bob");
        String carol = Users.create("carol");
        String service = service(List.of("registry.example.com/team/app"));
        String repo = bobsRepository(bob);
        Users.grant(carol, "sigil.signingservice_signer", service);
        Users.grant(carol, "container.containerrepository_viewer", repo);
        as(carol).body(Map.of("signing_service", service, "reference", "registry.example.com/team/app")).post(repo + "sign/")
                .then().statusCode(403).body("detail", containsString("container.modify_content_containerrepository"));
    }

    @Test
    void aServiceWithoutAllowedReferencesSignsNothingUntilAnAdminSetsThem() {
        String service = service(List.of());
        String bob = Users.create("bob");
        String repo = bobsRepository(bob);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("signing_service", service, "reference", "registry.example.com/a/b"))
                .post(repo + "sign/").then().statusCode(403).body("detail", containsString("no allowed_references"));
        as(bob).body(Map.of("allowed_references", List.of("registry.example.com/"))).patch(service).then().statusCode(403);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("allowed_references", List.of("not a reference/")))
                .patch(service).then().statusCode(400).body("allowed_references[0]", containsString("not a reference/"));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("allowed_references", List.of("registry.example.com/a/")))
                .patch(service).then().statusCode(200).body("allowed_references", equalTo(List.of("registry.example.com/a/")));
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("signing_service", service, "reference", "registry.example.com/a/b"))
                .post(repo + "sign/").then().statusCode(202);
    }
}
