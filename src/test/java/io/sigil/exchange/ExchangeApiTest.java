package io.sigil.exchange;

import static io.restassured.RestAssured.given;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sigil.repository.Repository;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Requests that are refused before any task runs, and who may make them. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class ExchangeApiTest {

    @Inject
    ExchangeFixtures fixtures;

    @Test
    void onlyAdminsMayUseExportersAndImporters() {
        given().get(Exporter.HREF).then().statusCode(401);
        given().get(Importer.HREF).then().statusCode(401);
        asAdmin().get(Exporter.HREF).then().statusCode(200);
    }

    @Test
    void exporterPathsMustBeUnderTheAllowedOnes() {
        for (String path : List.of("/etc", "relative/dir", ExchangeApi.ROOT + "/../escape")) {
            asAdmin().contentType(ContentType.JSON).body(Map.of("name", "e-" + UUID.randomUUID(), "path", path, "repositories", List.of()))
                    .post(Exporter.HREF).then().statusCode(400).body("path[0]", containsString(path.startsWith("/") ? "is not under" : "absolute"));
        }
    }

    @Test
    void exportRequestsAreCheckedBeforeDispatch() throws Exception {
        Repository repository = fixtures.repository("api-" + UUID.randomUUID());
        Repository other = fixtures.repository("api-other-" + UUID.randomUUID());
        String exporter = ExchangeApi.exporter(ExchangeApi.freshDirectory(), repository.href());
        asAdmin().contentType(ContentType.JSON).body(Map.of("full", false)).post(exporter + "exports/")
                .then().statusCode(400).body("full[0]", containsString("earlier export"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("chunk_size", "lots")).post(exporter + "exports/")
                .then().statusCode(400).body("chunk_size[0]", containsString("is not a size"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("chunk_size", "2TB")).post(exporter + "exports/")
                .then().statusCode(400).body("chunk_size[0]", containsString("at most 1TB"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("versions", List.of(other.href() + "versions/0/")))
                .post(exporter + "exports/").then().statusCode(400).body("versions[0]", containsString("not a version of a repository"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("versions", List.of(repository.href() + "versions/7/")))
                .post(exporter + "exports/").then().statusCode(404);
        ExchangeApi.export(exporter, Map.of());
        asAdmin().contentType(ContentType.JSON).body(Map.of("full", false, "oci_layout", true)).post(exporter + "exports/")
                .then().statusCode(400).body("oci_layout[0]", containsString("full exports"));
    }

    @Test
    void importPathsMustBeFilesUnderTheAllowedOnes() throws Exception {
        String importer = ExchangeApi.importer(Map.of());
        ExchangeApi.startImport(importer, Path.of("/etc/passwd"), false).then().statusCode(400).body("path[0]", containsString("is not under"));
        ExchangeApi.startImport(importer, ExchangeApi.freshDirectory(), false).then().statusCode(400)
                .body("path[0]", containsString("not a regular file"));
    }

    @Test
    void importersValidateTheirMapping() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "i-" + UUID.randomUUID(), "repo_mapping", Map.of("a", "x", "b", "x")))
                .post(Importer.HREF).then().statusCode(400).body("repo_mapping[0]", containsString("map to 'x'"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "i-" + UUID.randomUUID(), "repo_mapping", Map.of("a", "../x")))
                .post(Importer.HREF).then().statusCode(400);
        String importer = ExchangeApi.importer(Map.of("src", "dst"));
        asAdmin().get(Importer.HREF).then().statusCode(200).body("results.pulp_href", hasItem(importer));
        asAdmin().delete(importer).then().statusCode(204);
        asAdmin().get(importer).then().statusCode(404);
    }
}
