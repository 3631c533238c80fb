package io.sigil.exchange;

import static io.sigil.testing.Api.asAdmin;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.sigil.testing.Tasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Exporters, exports, importers and imports through the REST API, as a client would use them. */
final class ExchangeApi {

    static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "sigil-exchange-test");

    private ExchangeApi() {
    }

    static Path freshDirectory() throws IOException {
        return Files.createDirectories(ROOT.resolve(UUID.randomUUID().toString()));
    }

    static String exporter(Path directory, String... repositoryHrefs) {
        return asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "exporter-" + UUID.randomUUID(), "path", directory.toString(), "repositories", List.of(repositoryHrefs)))
                .post(Exporter.HREF).then().statusCode(201).extract().path("pulp_href");
    }

    /** Runs an export to completion and returns its table of contents. */
    static Path export(String exporterHref, Map<String, Object> body) {
        JsonPath task = Tasks.completed(asAdmin().contentType(ContentType.JSON).body(body).post(exporterHref + "exports/"));
        return Path.of(task.getString("result.toc"));
    }

    static String importer(Map<String, String> mapping) {
        return asAdmin().contentType(ContentType.JSON)
                .body(Map.of("name", "importer-" + UUID.randomUUID(), "repo_mapping", mapping))
                .post(Importer.HREF).then().statusCode(201).extract().path("pulp_href");
    }

    static Response startImport(String importerHref, Path toc, boolean create) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("path", toc.toString(), "create_repositories", create))
                .post(importerHref + "imports/");
    }

    /** Imports and waits; returns the finished task, whatever its state. */
    static JsonPath importArchive(String importerHref, Path toc, boolean create) {
        String task = startImport(importerHref, toc, create).then().statusCode(202).extract().path("task");
        return Tasks.await(task);
    }

    static JsonPath importCompleted(String importerHref, Path toc, boolean create) {
        return Tasks.completed(startImport(importerHref, toc, create));
    }

    static TableOfContents toc(Path tocFile) throws IOException {
        return ArchiveJson.MAPPER.readValue(tocFile.toFile(), TableOfContents.class);
    }
}
