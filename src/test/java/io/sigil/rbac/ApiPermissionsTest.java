package io.sigil.rbac;

import static io.restassured.RestAssured.given;
import static io.sigil.rbac.RbacFixtures.DISTRIBUTIONS;
import static io.sigil.rbac.RbacFixtures.REMOTES;
import static io.sigil.rbac.RbacFixtures.REPOSITORIES;
import static io.sigil.rbac.RbacFixtures.unique;
import static io.sigil.testing.Users.as;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sigil.testing.Api;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Users;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Users × roles × actions through the Pulp API: each action refused (404 when the object is out of sight, 403 when it
 * is visible but the role is missing) with nothing changed, then allowed once the role is given.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class ApiPermissionsTest {

    private static final String OWNER = "container.containerrepository_owner";
    private static final String MANIFESTS = "/pulp/api/v3/content/container/manifests/";

    @Test
    void repositoryNeedsItsRolesForEachAction() {
        String bob = Users.create("bob");
        String repoName = unique("adminrepo");
        String repo = RbacFixtures.repository(repoName);

        // Out of sight: not listed, 404 on read, change and delete; nothing changed.
        assertThat(as(bob).get(REPOSITORIES).then().statusCode(200).extract().jsonPath().getList("results.name"), not(hasItem(repoName)));
        as(bob).get(repo).then().statusCode(404);
        as(bob).body(Map.of("description", "mine")).patch(repo).then().statusCode(404);
        as(bob).delete(repo).then().statusCode(404);
        as(bob).body(Map.of()).post(repo + "modify/").then().statusCode(404);
        as(bob).queryParam("repository_version", repo + "versions/0/").get(MANIFESTS).then().statusCode(404);
        Api.asAdmin().get(repo).then().statusCode(200).body("name", equalTo(repoName));

        // Viewer: reads, lists; still no change or delete (403 naming the permission).
        Users.grant(bob, "container.containerrepository_viewer", repo);
        as(bob).get(repo).then().statusCode(200);
        assertThat(as(bob).queryParam("name", repoName).get(REPOSITORIES).then().extract().jsonPath().getList("results.name"), hasItem(repoName));
        as(bob).delete(repo).then().statusCode(403).body("detail", containsString("container.delete_containerrepository"));
        as(bob).body(Map.of("description", "mine")).patch(repo).then().statusCode(403);
        as(bob).get(repo + "versions/").then().statusCode(200);
        as(bob).queryParam("repository_version", repo + "versions/0/").get(MANIFESTS).then().statusCode(200);
        as(bob).get(repo + "list_roles/").then().statusCode(403);
        assertThat(as(bob).get(repo + "my_permissions/").then().statusCode(200).extract().jsonPath().getList("permissions"),
                equalTo(List.of("container.view_containerrepository")));
        Api.asAdmin().get(repo).then().statusCode(200).body("name", equalTo(repoName));

        // Owner: may delete.
        Users.grant(bob, OWNER, repo);
        JsonPath roles = as(bob).get(repo + "list_roles/").then().statusCode(200).extract().jsonPath();
        assertThat(roles.getList("roles.role"), hasItems(OWNER, "container.containerrepository_viewer"));
        as(bob).delete(repo).then().statusCode(202);
    }

    @Test
    void creatingNeedsTheCreatorRoleAndMakesTheCreatorOwner() {
        String carol = Users.create("carol");
        String name = unique("carolrepo");
        as(carol).body(Map.of("name", name)).post(REPOSITORIES).then().statusCode(403)
                .body("detail", containsString("container.add_containerrepository"));
        Api.asAdmin().queryParam("name", name).get(REPOSITORIES).then().body("count", equalTo(0));

        Users.grantGlobally(carol, "container.containerrepository_creator");
        String repo = as(carol).body(Map.of("name", name)).post(REPOSITORIES).then().statusCode(201).extract().path("pulp_href");
        assertThat(as(carol).get(repo + "my_permissions/").then().statusCode(200).extract().jsonPath().getList("permissions"),
                hasItems("container.delete_containerrepository", "container.manage_roles_containerrepository"));
        JsonPath roles = Api.asAdmin().get(repo + "list_roles/").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(carol), roles.getList("roles.find { it.role == '" + OWNER + "' }.users"));

        // An owner hands out roles on what they own, and only there.
        String dave = Users.create("dave");
        as(carol).body(Map.of("role", "container.containerrepository_viewer", "users", List.of(dave)))
                .post(repo + "add_role/").then().statusCode(201).body("users", equalTo(List.of(dave)));
        as(dave).get(repo).then().statusCode(200);
        as(dave).body(Map.of("role", OWNER, "users", List.of(dave))).post(repo + "add_role/").then().statusCode(403);
        as(carol).body(Map.of("role", "container.containerrepository_viewer", "users", List.of(dave)))
                .post(repo + "remove_role/").then().statusCode(201);
        as(dave).get(repo).then().statusCode(404);
        as(carol).body(Map.of("role", "container.containerrepository_viewer", "users", List.of(dave)))
                .post(repo + "remove_role/").then().statusCode(400);
        // A distribution role says nothing about repositories.
        as(carol).body(Map.of("role", "container.containerdistribution_owner", "users", List.of(dave)))
                .post(repo + "add_role/").then().statusCode(400);
    }

    @Test
    void privateDistributionCannotBePublishedOrUngatedByANonOwner() {
        String bob = Users.create("bob");
        String ns = unique("adm");
        String repo = RbacFixtures.repository(unique("r"));
        String dist = RbacFixtures.distribution(ns + "/app", repo, true);

        // Not even visible: 404 for every change, and the distribution is as it was.
        as(bob).body(Map.of("private", false)).patch(dist).then().statusCode(404);
        Map<String, Object> noPolicy = new HashMap<>();
        noPolicy.put("signature_policy", null);
        as(bob).body(noPolicy).patch(dist).then().statusCode(404);
        as(bob).delete(dist).then().statusCode(404);
        assertThat(as(bob).get(DISTRIBUTIONS).then().extract().jsonPath().getList("results.base_path"), not(hasItem(ns + "/app")));

        // A consumer sees it and pulls from it, but may not change it.
        Users.grant(bob, "container.containerdistribution_consumer", dist);
        as(bob).get(dist).then().statusCode(200);
        as(bob).body(Map.of("private", false)).patch(dist).then().statusCode(403)
                .body("detail", containsString("container.change_containerdistribution"));
        as(bob).body(noPolicy).patch(dist).then().statusCode(403);
        as(bob).delete(dist).then().statusCode(403);
        Api.asAdmin().get(dist).then().statusCode(200).body("private", equalTo(true));

        // The namespace's collaborators may change every distribution in it.
        String nsHref = Api.asAdmin().queryParam("name", ns).get("/pulp/api/v3/pulp_container/namespaces/")
                .then().statusCode(200).body("count", equalTo(1)).extract().path("results[0].pulp_href");
        Users.grant(bob, "container.containernamespace_collaborator", nsHref);
        as(bob).body(Map.of("private", false)).patch(dist).then().statusCode(200).body("private", equalTo(false));
    }

    @Test
    void distributionOnSomeoneElsesRepositoryIsRefused() {
        String bob = Users.create("bob");
        String repo = RbacFixtures.repository(unique("r"));
        String basePath = bob + "/stolen";
        as(bob).body(Map.of("name", basePath, "base_path", basePath, "repository", repo)).post(DISTRIBUTIONS)
                .then().statusCode(400).body("repository[0]", containsString("does not exist"));
        Users.grant(bob, "container.containerrepository_viewer", repo);
        as(bob).body(Map.of("name", basePath, "base_path", basePath, "repository", repo)).post(DISTRIBUTIONS)
                .then().statusCode(403).body("detail", containsString("container.modify_content_containerrepository"));
        Api.asAdmin().queryParam("base_path", basePath).get(DISTRIBUTIONS).then().body("count", equalTo(0));

        // With content rights on the repository, the distribution is made in a free namespace, which bob now owns.
        Users.grant(bob, "container.containerrepository_content_manager", repo);
        String dist = as(bob).body(Map.of("name", basePath, "base_path", basePath, "repository", repo)).post(DISTRIBUTIONS)
                .then().statusCode(201).extract().path("pulp_href");
        assertThat(as(bob).get(dist + "my_permissions/").then().statusCode(200).extract().jsonPath().getList("permissions"),
                hasItem("container.change_containerdistribution"));
        // Another user may not put a distribution into bob's namespace.
        String eve = Users.create("eve");
        Users.grantGlobally(eve, "container.containerrepository_creator");
        String eveRepo = as(eve).body(Map.of("name", unique("everepo"))).post(REPOSITORIES).then().statusCode(201).extract().path("pulp_href");
        as(eve).body(Map.of("name", bob + "/eve", "base_path", bob + "/eve", "repository", eveRepo)).post(DISTRIBUTIONS)
                .then().statusCode(403).body("detail", containsString("namespace " + bob));
    }

    @Test
    void anotherUsersDistributionCannotBeRepointedOrDeleted() {
        String alice = Users.create("alice");
        String bob = Users.create("bob");
        Users.grantGlobally(alice, "container.containerrepository_creator");
        Users.grantGlobally(bob, "container.containerrepository_creator");
        String aliceRepo = as(alice).body(Map.of("name", unique("a"))).post(REPOSITORIES).then().statusCode(201).extract().path("pulp_href");
        String bobRepo = as(bob).body(Map.of("name", unique("b"))).post(REPOSITORIES).then().statusCode(201).extract().path("pulp_href");
        String dist = as(alice).body(Map.of("name", alice + "/app", "base_path", alice + "/app", "repository", aliceRepo))
                .post(DISTRIBUTIONS).then().statusCode(201).extract().path("pulp_href");

        as(bob).get(dist).then().statusCode(200); // public
        as(bob).body(Map.of("repository", bobRepo)).patch(dist).then().statusCode(403);
        as(bob).body(Map.of("base_path", bob + "/app")).patch(dist).then().statusCode(403);
        as(bob).delete(dist).then().statusCode(403);
        Api.asAdmin().get(dist).then().statusCode(200).body("repository", equalTo(aliceRepo)).body("base_path", equalTo(alice + "/app"));

        // Alice may not point her distribution at bob's repository either.
        as(alice).body(Map.of("repository", bobRepo)).patch(dist).then().statusCode(400);
        as(alice).delete(dist).then().statusCode(204);
    }

    @Test
    void remotesNeedTheirOwnerToChangeOrSyncWithThem() {
        String bob = Users.create("bob");
        String remote = RbacFixtures.remote(unique("remote"));
        Users.grantGlobally(bob, "container.containerrepository_creator");
        String bobRepo = as(bob).body(Map.of("name", unique("b"))).post(REPOSITORIES).then().statusCode(201).extract().path("pulp_href");

        as(bob).get(remote).then().statusCode(404);
        as(bob).body(Map.of("url", "http://bob.example")).patch(remote).then().statusCode(404);
        as(bob).body(Map.of("remote", remote)).post(bobRepo + "sync/").then().statusCode(404);
        Users.grant(bob, "container.containerremote_viewer", remote);
        as(bob).get(remote).then().statusCode(200);
        as(bob).body(Map.of("url", "http://bob.example")).patch(remote).then().statusCode(403);
        as(bob).body(Map.of("remote", remote)).post(bobRepo + "sync/").then().statusCode(403)
                .body("detail", containsString("container.change_containerremote"));
        as(bob).delete(remote).then().statusCode(403);
        Api.asAdmin().get(remote).then().statusCode(200).body("url", equalTo("https://registry.example.com"));
        assertThat(as(bob).get(REMOTES).then().extract().jsonPath().getList("results.pulp_href"), hasItem(remote));
    }

    @Test
    void trustNeedsTheTrustAdminRole() {
        String bob = Users.create("bob");
        String missing = "/pulp/api/v3/revoked-keys/00000000-0000-0000-0000-000000000001/";
        String revoked = Api.asAdmin().get("/pulp/api/v3/revoked-keys/").then().statusCode(200).extract().path("results[0].pulp_href");
        as(bob).delete(revoked == null ? missing : revoked).then().statusCode(403)
                .body("detail", containsString("sigil.manage_trust"));
        as(bob).body(Map.of("name", "k", "type", "cosign", "public_key", "x")).post("/pulp/api/v3/trusted-keys/").then().statusCode(403);
        Users.grantGlobally(bob, "sigil.trust_admin");
        as(bob).body(Map.of("name", "k", "type", "cosign", "public_key", "x")).post("/pulp/api/v3/trusted-keys/").then().statusCode(400);
    }

    @Test
    void rolesAndGroupsFollowPulpsRules() {
        String bob = Users.create("bob");
        as(bob).get("/pulp/api/v3/roles/?name=" + OWNER).then().statusCode(200).body("count", equalTo(1))
                .body("results[0].locked", equalTo(true));
        String owner = Api.asAdmin().queryParam("name", OWNER).get("/pulp/api/v3/roles/").then().extract().path("results[0].pulp_href");
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("description", "x")).patch(owner).then().statusCode(403)
                .body("detail", equalTo("The role is locked."));
        as(bob).body(Map.of("name", "mine", "permissions", List.of())).post("/pulp/api/v3/roles/").then().statusCode(403);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", unique("r"), "permissions", List.of("core.everything")))
                .post("/pulp/api/v3/roles/").then().statusCode(400).body("permissions[0]", containsString("core.everything"));
        String custom = unique("custom");
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", custom, "permissions", List.of("container.view_containerrepository")))
                .post("/pulp/api/v3/roles/").then().statusCode(201).body("locked", equalTo(false));

        // A group's roles reach its members, and leave with them.
        String repo = RbacFixtures.repository(unique("grouped"));
        String group = Api.asAdmin().contentType(ContentType.JSON).body(Map.of("name", unique("g"))).post("/pulp/api/v3/groups/")
                .then().statusCode(201).extract().path("pulp_href");
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("username", bob)).post(group + "users/").then().statusCode(201);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("role", custom, "content_object", repo)).post(group + "roles/")
                .then().statusCode(201).body("content_object", equalTo(repo)).body("role", equalTo(custom));
        as(bob).get(repo).then().statusCode(200);
        Api.asAdmin().contentType(ContentType.JSON).body(Map.of("role", custom, "content_object", repo)).post(group + "roles/")
                .then().statusCode(400);
        String member = Api.asAdmin().get(group + "users/").then().statusCode(200).extract().path("results[0].pulp_href");
        Api.asAdmin().delete(member).then().statusCode(204);
        as(bob).get(repo).then().statusCode(404);

        // Users' own assignments: listed with filters, removable.
        String assignment = Users.grantGlobally(bob, "container.containerrepository_viewer");
        as(bob).get(repo).then().statusCode(200);
        Api.asAdmin().queryParam("content_object", "null").get(Users.href(bob) + "roles/").then().statusCode(200)
                .body("count", equalTo(1)).body("results[0].content_object", equalTo(null));
        Api.asAdmin().delete(assignment).then().statusCode(204);
        as(bob).get(repo).then().statusCode(404);
        as(bob).get(Users.href(bob) + "roles/").then().statusCode(403);
        as(bob).get("/pulp/api/v3/groups/").then().statusCode(403);
    }

    @Test
    void anonymousAndForgedCallersAreRefused() {
        String repo = RbacFixtures.repository(unique("anon"));
        given().get(REPOSITORIES).then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("role", OWNER, "users", List.of("x"))).post(repo + "add_role/").then().statusCode(401);
        given().auth().preemptive().basic("admin", "forged").delete(repo).then().statusCode(401);
        given().header("Authorization", "Bearer forged.token.here").get(repo + "my_permissions/").then().statusCode(401);
        Api.asAdmin().get(repo).then().statusCode(200);
    }
}
