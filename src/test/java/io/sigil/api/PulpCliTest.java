package io.sigil.api;

import static io.restassured.RestAssured.given;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sigil.testing.DockerRegistryServer;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Skopeo;
import java.net.URL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Pulp container user's day, driven through Pulp's own client (pulp-cli 0.41 on pulp-glue, a real process) against
 * the test server: each command's exit code is checked and its effect read back through the REST API.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class PulpCliTest {

    static final String API = "/pulp/api/v3/";
    static final ObjectMapper JSON = new ObjectMapper();
    static DockerRegistryServer upstream;

    @TestHTTPResource("/")
    URL base;
    PulpCli pulp;

    @BeforeAll
    static void upstreamWithTwoTags() throws Exception {
        upstream = new DockerRegistryServer();
        OciLayout layout = new OciLayout(Files.createTempDirectory("pulp-cli-layout"), 7);
        layout.taggedImage("v1", 1);
        layout.taggedImage("v2", 2);
        Skopeo skopeo = new Skopeo();
        for (String tag : List.of("v1", "v2")) {
            skopeo.copy("oci:" + layout.dir() + ":" + tag, "docker://" + upstream.host() + "/library/app:" + tag).requireSuccess();
        }
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void client() throws Exception {
        pulp = new PulpCli(base.toString());
    }

    @Test
    void statusShowsTheVersionsTheDocumentAdvertises() {
        JsonNode status = pulp.run("status").ok().json();
        Map<String, String> versions = new java.util.HashMap<>();
        status.get("versions").forEach(v -> versions.put(v.get("component").asText(), v.get("version").asText()));
        assertEquals(PulpVersions.COMPONENTS.size(), versions.size());
        PulpVersions.COMPONENTS.forEach(c -> assertEquals(c.version(), versions.get(c.component())));
        assertTrue(status.get("database_connection").get("connected").asBoolean());
        Map<String, Object> documented = given().get(API + "docs/api.json").then().statusCode(200).extract()
                .jsonPath().getMap("info.x-pulp-app-versions");
        assertEquals(versions, documented, "the document and /status/ must agree, or pulp status refetches forever");
    }

    @Test
    void repositoryCreateListShowUpdateDestroy() {
        JsonNode created = pulp.run("container", "repository", "create", "--name", "cli-repo", "--description", "first",
                "--retain-repo-versions", "5").ok().json();
        String href = created.get("pulp_href").asText();
        assertEquals("first", asAdmin().get(href).then().statusCode(200).extract().path("description"));

        JsonNode listed = pulp.run("container", "repository", "list", "--limit", "500").ok().json();
        assertTrue(names(listed).contains("cli-repo"), listed::toString);
        assertEquals(href, pulp.run("container", "repository", "show", "--name", "cli-repo").ok().json().get("pulp_href").asText());

        pulp.run("container", "repository", "update", "--name", "cli-repo", "--description", "second",
                "--retain-repo-versions", "2").ok();
        JsonPath updated = asAdmin().get(href).then().statusCode(200).extract().jsonPath();
        assertEquals("second", updated.getString("description"));
        assertEquals(2, updated.getInt("retain_repo_versions"));

        PulpCli.Result refused = pulp.run("container", "repository", "update", "--name", "cli-repo", "--description", "d",
                "--retain-repo-versions", "0");
        assertNotEquals(0, refused.exitCode(), "a retention of 0 must be refused");
        assertEquals("second", asAdmin().get(href).then().extract().path("description"));

        pulp.run("container", "repository", "destroy", "--name", "cli-repo").ok();
        asAdmin().get(href).then().statusCode(404);
    }

    @Test
    void remoteAndDistributionCreateListShowUpdateDestroy() {
        String remote = pulp.run("container", "remote", "create", "--name", "cli-remote", "--url", "https://registry.example",
                "--upstream-name", "library/app").ok().json().get("pulp_href").asText();
        assertTrue(names(pulp.run("container", "remote", "list").ok().json()).contains("cli-remote"));
        assertEquals(remote, pulp.run("container", "remote", "show", "--name", "cli-remote").ok().json().get("pulp_href").asText());
        pulp.run("container", "remote", "update", "--name", "cli-remote", "--url", "https://other.example").ok();
        assertEquals("https://other.example", asAdmin().get(remote).then().statusCode(200).extract().path("url"));

        pulp.run("container", "repository", "create", "--name", "cli-served").ok();
        String distribution = pulp.run("container", "distribution", "create", "--name", "cli-dist", "--base-path", "cli/dist",
                "--repository", "cli-served").ok().json().get("pulp_href").asText();
        assertTrue(names(pulp.run("container", "distribution", "list").ok().json()).contains("cli-dist"));
        pulp.run("container", "distribution", "update", "--name", "cli-dist", "--base-path", "cli/moved").ok();
        assertEquals("cli/moved", pulp.run("container", "distribution", "show", "--name", "cli-dist").ok().json()
                .get("base_path").asText());
        assertEquals("cli/moved", asAdmin().get(distribution).then().statusCode(200).extract().path("base_path"));

        pulp.run("container", "distribution", "destroy", "--name", "cli-dist").ok();
        asAdmin().get(distribution).then().statusCode(404);
        pulp.run("container", "remote", "destroy", "--name", "cli-remote").ok();
        asAdmin().get(remote).then().statusCode(404);
        pulp.run("container", "repository", "destroy", "--name", "cli-served").ok();
    }

    @Test
    void syncVersionsContentCopyTagTasksAndOrphans() {
        pulp.run("container", "remote", "create", "--name", "cli-upstream", "--url", upstream.baseUrl(),
                "--upstream-name", "library/app", "--tls-validation", "false").ok();
        String repository = pulp.run("container", "repository", "create", "--name", "cli-synced").ok().json()
                .get("pulp_href").asText();
        pulp.run("container", "repository", "sync", "--name", "cli-synced", "--remote", "cli-upstream").ok();
        JsonPath synced = asAdmin().get(repository).then().statusCode(200).extract().jsonPath();
        assertTrue(synced.getString("latest_version_href").endsWith("/versions/1/"), synced.prettify());

        JsonNode versions = pulp.run("container", "repository", "version", "list", "--repository", "cli-synced").ok().json();
        assertEquals(2, versions.size(), versions::toString);
        JsonNode one = pulp.run("container", "repository", "version", "show", "--repository", "cli-synced", "--version", "1")
                .ok().json();
        assertEquals(2, one.get("content_summary").get("present").get("container.tag").get("count").asInt(), one::toString);

        String version1 = repository + "versions/1/";
        JsonNode tags = pulp.run("container", "content", "list", "--repository-version", version1).ok().json();
        assertThat(names(tags), containsInAnyOrder("v1", "v2"));
        JsonNode manifests = pulp.run("container", "content", "--type", "manifest", "list", "--repository-version", version1)
                .ok().json();
        assertEquals(2, manifests.size());
        JsonNode blobs = pulp.run("container", "content", "--type", "blob", "list", "--repository-version", version1).ok().json();
        assertEquals(asAdmin().get(API + "content/container/blobs/?repository_version=" + version1).then().extract()
                .jsonPath().getInt("count"), blobs.size());
        JsonNode byName = pulp.run("container", "content", "list", "--name", "v1").ok().json();
        assertEquals(List.of("v1"), names(byName));

        String copy = pulp.run("container", "repository", "create", "--name", "cli-copy").ok().json().get("pulp_href").asText();
        pulp.run("container", "repository", "copy-tag", "--name", "cli-copy", "--source", "cli-synced", "--tag", "v2").ok();
        assertEquals(List.of("v2"), asAdmin().get(API + "content/container/tags/?repository_version=" + copy + "versions/1/")
                .then().statusCode(200).extract().jsonPath().getList("results.name"));

        // A second sync of an unchanged upstream makes no version; an empty version 2 made by hand can be destroyed.
        asAdmin().contentType("application/json").body(Map.of("remove_content_units", List.of("*")))
                .post(copy + "modify/").then().statusCode(202);
        awaitVersion(copy, 2);
        pulp.run("container", "repository", "version", "destroy", "--repository", "cli-copy", "--version", "1").ok();
        asAdmin().get(copy + "versions/1/").then().statusCode(404);

        JsonNode tasks = pulp.run("task", "list", "--limit", "3").ok().json();
        assertEquals(3, tasks.size());
        String task = tasks.get(0).get("pulp_href").asText();
        assertEquals(task, pulp.run("task", "show", "--href", task).ok().json().get("pulp_href").asText());
        JsonNode completed = pulp.run("task", "list", "--state", "completed", "--limit", "3").ok().json();
        completed.forEach(t -> assertEquals("completed", t.get("state").asText()));

        pulp.run("container", "repository", "destroy", "--name", "cli-copy").ok();
        pulp.run("container", "repository", "destroy", "--name", "cli-synced").ok();
        pulp.run("container", "remote", "destroy", "--name", "cli-upstream").ok();
        JsonNode cleanup = pulp.run("orphan", "cleanup", "--protection-time", "0").ok().json();
        assertEquals("completed", cleanup.get("state").asText(), cleanup::toString);
        assertEquals(0, asAdmin().get(API + "content/container/tags/?name=v2").then().extract().jsonPath().getInt("count"),
                "orphan clean-up removed the tags no repository holds");
    }

    @Test
    void theDocumentIsOneGlueAcceptsAndEveryDeclaredParameterIsAccepted() throws Exception {
        JsonNode document = JSON.readTree(given().get(API + "docs/api.json").then().statusCode(200).extract().asString());
        assertEquals("3.0.3", document.get("openapi").asText());
        assertNotNull(document.at("/components/securitySchemes/basicAuth"));
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String where = op.getKey() + " " + path.getKey();
                JsonNode operation = op.getValue();
                if (!operation.hasNonNull("operationId")) {
                    problems.add(where + ": no operationId");
                }
                if (!path.getKey().startsWith("/pulp/") && !path.getKey().startsWith("{")) {
                    continue;
                }
                if (!operation.has("security")) {
                    problems.add(where + ": no security");
                }
                JsonNode body = operation.at("/requestBody/content/application~1json/schema");
                if (operation.has("requestBody") && !typed(body, document)) {
                    problems.add(where + ": untyped request body " + body);
                }
                operation.path("responses").fields().forEachRemaining(r -> {
                    JsonNode schema = r.getValue().at("/content/application~1json/schema");
                    if (!r.getKey().startsWith("4") && r.getValue().has("content") && !typed(schema, document)) {
                        problems.add(where + " " + r.getKey() + ": untyped response " + schema);
                    }
                });
                if (op.getKey().equals("get") && path.getKey().startsWith("/pulp/api/v3/")) {
                    problems.addAll(parametersTheServerRefuses(path.getKey(), operation));
                }
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    /** Each declared query parameter of a list, sent alone with a value of its declared type: never "unknown", never 5xx. */
    private static List<String> parametersTheServerRefuses(String path, JsonNode operation) {
        List<String> problems = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            if (!parameter.path("in").asText().equals("query")) {
                continue;
            }
            String name = parameter.get("name").asText();
            String value = switch (parameter.at("/schema/type").asText()) {
                case "integer" -> "1";
                case "boolean" -> "true";
                default -> "x";
            };
            var response = asAdmin().queryParam(name, value).get(path);
            String body = response.asString();
            boolean typeRefused = response.statusCode() == 400 && body.contains("\"" + name + "\"")
                    && (body.contains("Unknown filter") || body.contains("valid integer") || body.contains("true or false"));
            if (response.statusCode() >= 500 || typeRefused) {
                problems.add("GET " + path + "?" + name + "=" + value + " -> " + response.statusCode() + " " + body);
            }
            if (!"application/json".equals(response.contentType())) {
                problems.add("GET " + path + "?" + name + " answered " + response.contentType());
            }
        }
        return problems;
    }

    /** A schema that says what it holds: a reference to a component with properties, or a type. */
    private static boolean typed(JsonNode schema, JsonNode document) {
        if (schema.isMissingNode() || schema.isEmpty()) {
            return false;
        }
        if (schema.has("$ref")) {
            JsonNode target = document.at("/components/schemas/" + schema.get("$ref").asText().replace("#/components/schemas/", ""));
            return target.has("properties") || target.has("type") && !target.get("type").asText().equals("object")
                    || target.has("additionalProperties");
        }
        return schema.has("type") && (!schema.get("type").asText().equals("object") || schema.has("properties")
                || schema.has("additionalProperties"));
    }

    private static void awaitVersion(String repository, int number) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!asAdmin().get(repository).then().extract().jsonPath().getString("latest_version_href").endsWith("/" + number + "/")) {
            assertFalse(System.currentTimeMillis() > deadline, "version " + number + " never came");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(item -> names.add(item.get("name").asText()));
        return names;
    }
}
