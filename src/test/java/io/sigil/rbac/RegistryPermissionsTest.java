package io.sigil.rbac;

import static io.sigil.rbac.RbacFixtures.DISTRIBUTIONS;
import static io.sigil.rbac.RbacFixtures.unique;
import static io.sigil.rbac.RegistryPush.bearer;
import static io.sigil.rbac.RegistryPush.push;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.sigil.testing.Api;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Skopeo;
import io.sigil.testing.Users;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Namespaces, tokens and the catalog through /v2/: what a token carries is what its user holds, now. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class RegistryPermissionsTest {

    private static List<String> tokenActions(String user, String name) {
        String token = Users.token(user, "repository:" + name + ":pull,push");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8);
        io.restassured.path.json.JsonPath claims = io.restassured.path.json.JsonPath.from(payload);
        return claims.getList("access").isEmpty() ? List.of() : claims.getList("access[0].actions");
    }

    @Test
    void tokensCarryOnlyWhatTheUserHolds() {
        String bob = Users.create("bob");
        String ns = unique("adm");
        String adminName = ns + "/app";
        push(Users.tokenAsAdmin("repository:" + adminName + ":pull,push"), adminName, "v1")
                .then().statusCode(201);
        String dist = Api.asAdmin().queryParam("base_path", adminName).get(DISTRIBUTIONS).then().extract().path("results[0].pulp_href");
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("private", true)).patch(dist).then().statusCode(200);

        assertEquals(List.of(), tokenActions(bob, adminName));           // private, no role
        assertEquals(List.of(), tokenActions(bob, ns + "/other"));       // someone's namespace
        assertEquals(List.of("pull", "push"), tokenActions(bob, bob + "/app")); // a free namespace
        assertEquals(List.of(), tokenActions(null, adminName));

        // Pushing into someone else's namespace is refused, and nothing appears.
        String token = Users.token(bob, "repository:" + ns + "/other:pull,push");
        push(token, ns + "/other", "v1").then().statusCode(403);
        Api.asAdmin().queryParam("base_path", ns + "/other").get(DISTRIBUTIONS).then().body("count", equalTo(0));

        // A consumer pulls but does not push; a collaborator pushes.
        Users.grant(bob, "container.containerdistribution_consumer", dist);
        assertEquals(List.of("pull"), tokenActions(bob, adminName));
        String pullToken = Users.token(bob, "repository:" + adminName + ":pull");
        bearer(pullToken).accept(RegistryPush.OCI_MANIFEST).get("/v2/" + adminName + "/manifests/v1").then().statusCode(200);
        push(Users.token(bob, "repository:" + adminName + ":pull,push"), adminName, "v2").then().statusCode(403);
        Users.grant(bob, "container.containerdistribution_collaborator", dist);
        push(Users.token(bob, "repository:" + adminName + ":pull,push"), adminName, "v2").then().statusCode(201);

        // Roles taken away end the tokens that relied on them at once.
        Users.revoke(bob, "container.containerdistribution_consumer", dist);
        Users.revoke(bob, "container.containerdistribution_collaborator", dist);
        bearer(pullToken).accept(RegistryPush.OCI_MANIFEST).get("/v2/" + adminName + "/manifests/v1").then().statusCode(403);
    }

    @Test
    void firstPushClaimsTheNamespace() {
        String alice = Users.create("alice");
        String bob = Users.create("bob");
        String name = alice + "/app";
        push(Users.token(alice, "repository:" + name + ":pull,push"), name, "v1").then().statusCode(201);
        String ns = Api.asAdmin().queryParam("name", alice).get("/pulp/api/v3/pulp_container/namespaces/").then()
                .body("count", equalTo(1)).extract().path("results[0].pulp_href");
        assertThat(Api.asAdmin().get(ns + "list_roles/").then().extract().jsonPath().getList("roles.users.flatten()"), hasItem(alice));

        assertEquals(List.of("pull"), tokenActions(bob, name)); // public: anyone pulls
        push(Users.token(bob, "repository:" + alice + "/evil:pull,push"), alice + "/evil", "v1").then().statusCode(403);
        Users.grant(bob, "container.containernamespace_collaborator", ns);
        push(Users.token(bob, "repository:" + alice + "/shared:pull,push"), alice + "/shared", "v1").then().statusCode(201);
    }

    @Test
    void catalogListsOnlyWhatTheCallerMayPull() {
        String bob = Users.create("bob");
        String name = unique("cat") + "/secret";
        push(Users.tokenAsAdmin("repository:" + name + ":pull,push"), name, "v1").then().statusCode(201);
        String dist = Api.asAdmin().queryParam("base_path", name).get(DISTRIBUTIONS).then().extract().path("results[0].pulp_href");
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("private", true)).patch(dist).then().statusCode(200);

        String bobToken = Users.token(bob, "registry:catalog:*");
        assertThat(catalog(bobToken), not(hasItem(name)));
        assertThat(catalog(null), not(hasItem(name)));
        assertThat(catalog(Users.tokenAsAdmin("registry:catalog:*")), hasItem(name));
        Users.grant(bob, "container.containerdistribution_consumer", dist);
        assertThat(catalog(bobToken), hasItem(name));
    }

    @Test
    void anonymousCannotTellPrivateFromMissing() {
        String name = unique("hidden") + "/app";
        push(Users.tokenAsAdmin("repository:" + name + ":pull,push"), name, "v1").then().statusCode(201);
        String dist = Api.asAdmin().queryParam("base_path", name).get(DISTRIBUTIONS).then().extract().path("results[0].pulp_href");
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("private", true)).patch(dist).then().statusCode(200);
        String missing = unique("hidden") + "/app";

        Response privateOne = bearer(null).get("/v2/" + name + "/manifests/v1");
        Response missingOne = bearer(null).get("/v2/" + missing + "/manifests/v1");
        assertEquals(privateOne.statusCode(), missingOne.statusCode());
        assertEquals(401, privateOne.statusCode());
        assertEquals(privateOne.jsonPath().getString("errors[0].code"), missingOne.jsonPath().getString("errors[0].code"));
        String anonymous = Users.token(null, "repository:" + name + ":pull");
        assertEquals(bearer(anonymous).get("/v2/" + name + "/tags/list").statusCode(),
                bearer(Users.token(null, "repository:" + missing + ":pull")).get("/v2/" + missing + "/tags/list").statusCode());
    }

    @Test
    void skopeoPushAndPullOfAPrivateNamespaceFollowRoles(@TempDir Path tmp) {
        Skopeo skopeo = new Skopeo();
        String bob = Users.create("bob");
        String ns = unique("priv");
        String name = ns + "/app";
        OciLayout source = new OciLayout(tmp.resolve("src"), 1);
        source.taggedImage("v1", 1);
        String target = "docker://127.0.0.1:" + RestAssured.port + "/" + name + ":v1";
        skopeo.copy("oci:" + source.dir() + ":v1", target, "--dest-creds", "admin:password").requireSuccess();
        String dist = Api.asAdmin().queryParam("base_path", name).get(DISTRIBUTIONS).then().extract().path("results[0].pulp_href");
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("private", true)).patch(dist).then().statusCode(200);
        String nsHref = Api.asAdmin().queryParam("name", ns).get("/pulp/api/v3/pulp_container/namespaces/").then()
                .extract().path("results[0].pulp_href");
        String creds = bob + ":" + Users.PASSWORD;

        Skopeo.Result pull = skopeo.copy(target, "oci:" + tmp.resolve("out") + ":v1", "--src-creds", creds);
        assertEquals(true, pull.exitCode() != 0, pull.stdout());
        assertThat(pull.stderr(), containsString("denied"));
        Skopeo.Result pushed = skopeo.copy("oci:" + source.dir() + ":v1", "docker://127.0.0.1:" + RestAssured.port + "/" + ns + "/bob:v1",
                "--dest-creds", creds);
        assertEquals(true, pushed.exitCode() != 0, pushed.stdout());
        Api.asAdmin().queryParam("base_path", ns + "/bob").get(DISTRIBUTIONS).then().body("count", equalTo(0));

        Users.grant(bob, "container.containernamespace_consumer", nsHref);
        skopeo.copy(target, "oci:" + tmp.resolve("out") + ":v1", "--src-creds", creds).requireSuccess();
        Users.grant(bob, "container.containernamespace_collaborator", nsHref);
        skopeo.copy("oci:" + source.dir() + ":v1", "docker://127.0.0.1:" + RestAssured.port + "/" + ns + "/bob:v1",
                "--dest-creds", creds).requireSuccess();
    }

    private static List<String> catalog(String token) {
        return bearer(token).get("/v2/_catalog?n=1000").then().statusCode(200).extract().jsonPath().getList("repositories");
    }
}
