package io.sigil.api;

import static io.sigil.testing.Api.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sigil.testing.PostgresDatabaseResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every kind of bad input, sent to every endpoint family of {@code /pulp/api/v3}: each is a 4xx with a JSON body (exactly
 * {@code application/json}) naming the parameter or field, and nothing was created, changed or queued.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class BadInputTest {

    static final String API = "/pulp/api/v3/";
    static final List<String> LISTS = List.of("repositories/container/container/", "remotes/container/container/",
            "distributions/container/container/", "content/container/tags/", "content/container/manifests/",
            "content/container/blobs/", "content/container/signatures/", "tasks/", "exporters/core/pulp/",
            "importers/core/pulp/", "signing-services/", "trusted-keys/", "revoked-keys/", "users/");

    /** Query strings that no list takes, with the parameter the answer must name. */
    static final Map<String, String> BAD_QUERIES = Map.ofEntries(
            Map.entry("bogus=1", "bogus"),
            Map.entry("limit=-1", "limit"),
            Map.entry("limit=0", "limit"),
            Map.entry("limit=99999999999999999999", "limit"),
            Map.entry("limit=1001", "limit"),
            Map.entry("limit=abc", "limit"),
            Map.entry("offset=-5", "offset"),
            Map.entry("offset=abc", "offset"),
            Map.entry("limit=1%00", "limit"),
            Map.entry("offset=1.5", "offset"));

    /** Content filters that exist, but not on this type. */
    static final List<String> INAPPLICABLE = List.of("content/container/manifests/?name=a",
            "content/container/manifests/?name__in=a,b", "content/container/blobs/?name=a",
            "content/container/blobs/?media_type=x", "content/container/signatures/?media_type=x",
            "content/container/tags/?signed=true", "content/container/blobs/?verified=true",
            "content/container/tags/?manifest=sha256:00");

    /** A create endpoint with a body it accepts, to be spoiled field by field. */
    record Create(String path, String field, Map<String, Object> good) {
    }

    static final List<Create> CREATES = List.of(
            new Create("repositories/container/container/", "name", Map.of("name", "bad-input-repo")),
            new Create("remotes/container/container/", "name",
                    Map.of("name", "bad-input-remote", "url", "https://registry.example", "upstream_name", "library/x")),
            new Create("distributions/container/container/", "name", Map.of("name", "bad-input-dist", "base_path", "bad/input")),
            new Create("exporters/core/pulp/", "name", Map.of("name", "bad-input-exporter", "path", "/tmp/x", "repositories", List.of())),
            new Create("importers/core/pulp/", "name", Map.of("name", "bad-input-importer")),
            new Create("signing-services/", "name", Map.of("name", "bad-input-service", "type", "atomic", "generate", true)),
            new Create("trusted-keys/", "name", Map.of("name", "bad-input-key", "type", "cosign", "public_key", "x")),
            new Create("users/", "username", Map.of("username", "bad-input-user", "password", "a-long-password-1")));

    static String repository;

    @BeforeEach
    void aRepository() {
        if (repository != null) {
            return;
        }
        repository = asAdmin().contentType("application/json").body(Map.of("name", "bad-input-existing"))
                .post(API + "repositories/container/container/").then().statusCode(201).extract().path("pulp_href");
    }

    @TestFactory
    Stream<DynamicTest> badQueryParametersAreRefusedByName() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String list : LISTS) {
            BAD_QUERIES.forEach((query, parameter) -> tests.add(DynamicTest.dynamicTest(list + "?" + query,
                    () -> assertNames(asAdmin().urlEncodingEnabled(false).get(API + list + "?" + query), parameter))));
        }
        tests.add(DynamicTest.dynamicTest("versions ?bogus",
                () -> assertNames(asAdmin().get(repository + "versions/?bogus=1"), "bogus")));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> filtersOfOtherContentTypesAreRefusedByName() {
        return INAPPLICABLE.stream().map(url -> DynamicTest.dynamicTest(url, () -> {
            String parameter = url.substring(url.indexOf('?') + 1, url.indexOf('='));
            assertNames(asAdmin().urlEncodingEnabled(false).get(API + url), parameter);
        }));
    }

    @Test
    void nulInAQueryParameterNameIsRefused() {
        Response response = asAdmin().urlEncodingEnabled(false).get(API + "repositories/container/container/?na%00me=a");
        assertEquals(400, response.statusCode(), response.asString());
        assertTrue(response.asString().contains("Null characters are not allowed."), response.asString());
    }

    @TestFactory
    Stream<DynamicTest> badBodiesAreRefusedByFieldAndCreateNothing() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Create create : CREATES) {
            String path = API + create.path();
            Map<String, Object> spoiled = new java.util.HashMap<>(create.good());
            tests.add(bodyTest(path, "a list", "[]", "non_field_errors"));
            tests.add(bodyTest(path, "a number", "123", "non_field_errors"));
            tests.add(bodyTest(path, "a string", "\"x\"", "non_field_errors"));
            tests.add(bodyTest(path, "malformed JSON", "{\"" + create.field() + "\": ", "detail"));
            tests.add(bodyTest(path, "a number for a string", json(with(spoiled, create.field(), 123)), create.field()));
            tests.add(bodyTest(path, "a boolean for a string", json(with(spoiled, create.field(), true)), create.field()));
            tests.add(bodyTest(path, "a list for a string", json(with(spoiled, create.field(), List.of("a"))), create.field()));
            tests.add(bodyTest(path, "an object for a string", json(with(spoiled, create.field(), Map.of())), create.field()));
            tests.add(bodyTest(path, "a NUL character", json(with(spoiled, create.field(), "a\u0000b")), create.field()));
            tests.add(bodyTest(path, "an unknown field", json(with(spoiled, "bogus_field", 1)), "bogus_field"));
        }
        String tenMiB = "d".repeat(10 * 1024 * 1024);
        tests.add(bodyTest(API + "repositories/container/container/", "a 10 MiB description",
                json(Map.of("name", "bad-input-huge", "description", tenMiB)), "description"));
        tests.add(bodyTest(API + "distributions/container/container/", "a 10 MiB description",
                json(Map.of("name", "bad-input-huge", "base_path", "huge", "description", tenMiB)), "description"));
        tests.add(bodyTest(API + "repositories/container/container/", "retention below 1",
                json(Map.of("name", "bad-input-retain", "retain_repo_versions", 0)), "retain_repo_versions"));
        tests.add(bodyTest(API + "repositories/container/container/", "retention as a string",
                json(Map.of("name", "bad-input-retain", "retain_repo_versions", "2")), "retain_repo_versions"));
        tests.add(bodyTest(API + "repositories/container/container/", "a name with spaces",
                json(Map.of("name", "bad name!!")), "name"));
        tests.add(bodyTest(API + "distributions/container/container/", "private as a string",
                json(Map.of("name", "bad-input-private", "base_path", "private", "private", "yes")), "private"));
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> badUpdatesAreRefusedBeforeAnyTask() {
        return Stream.of(
                Map.entry(json(Map.of("name", "bad name!!")), "name"),
                Map.entry(json(Map.of("name", 123)), "name"),
                Map.entry(json(Map.of("retain_repo_versions", "x")), "retain_repo_versions"),
                Map.entry(json(Map.of("description", "d".repeat(70_000))), "description"),
                Map.entry(json(Map.of("bogus_field", "x")), "bogus_field"),
                Map.entry("[]", "non_field_errors"),
                Map.entry("{\"name\": ", "detail")
        ).map(bad -> DynamicTest.dynamicTest("PATCH repository " + bad.getValue() + " " + abbreviate(bad.getKey()), () -> {
            long tasks = taskCount();
            Response response = asAdmin().contentType("application/json").body(bad.getKey()).patch(repository);
            assertNames(response, bad.getValue());
            assertEquals(tasks, taskCount(), "a refused update must not queue a task");
            assertEquals("bad-input-existing", asAdmin().get(repository).then().extract().path("name"));
        }));
    }

    @Test
    void syncWithAWronglyTypedBodyIsRefusedBeforeAnyTask() {
        long tasks = taskCount();
        assertNames(asAdmin().contentType("application/json").body("{\"remote\": 5}").post(repository + "sync/"), "remote");
        assertNames(asAdmin().contentType("application/json").body("{\"remote\": \"/x/\", \"mirror\": \"yes\"}")
                .post(repository + "sync/"), "mirror");
        assertEquals(tasks, taskCount());
    }

    private static DynamicTest bodyTest(String path, String what, String body, String field) {
        return DynamicTest.dynamicTest("POST " + path + " with " + what, () -> {
            String collection = path;
            long before = count(collection);
            Response response = asAdmin().contentType("application/json").body(body).post(path);
            assertNames(response, field);
            if ("detail".equals(field)) {
                assertTrue(response.jsonPath().getString("detail").startsWith("JSON parse error"), response.asString());
            }
            assertEquals(before, count(collection), "a refused create must not create anything");
        });
    }

    /** A 4xx, answered as exactly application/json, whose body has the parameter or field as a key. */
    static void assertNames(Response response, String name) {
        String body = response.asString();
        assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, () -> response.statusCode() + " " + body);
        assertEquals("application/json", response.contentType(), body);
        Map<String, Object> json = response.jsonPath().getMap("$");
        assertTrue(json.containsKey(name), () -> "expected the answer to name '" + name + "': " + body);
    }

    private static long count(String collection) {
        return asAdmin().get(collection).then().statusCode(200).extract().jsonPath().getLong("count");
    }

    private static long taskCount() {
        return asAdmin().get(API + "tasks/").then().statusCode(200).extract().jsonPath().getLong("count");
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(body);
        copy.put(field, value);
        return copy;
    }

    private static String json(Map<String, Object> body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
