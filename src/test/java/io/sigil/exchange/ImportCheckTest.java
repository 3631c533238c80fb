package io.sigil.exchange;

import static io.restassured.RestAssured.given;
import static io.sigil.testing.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sigil.repository.Repository;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pulp's import-check: each check answers valid or not with its reason, and nothing is imported. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class ImportCheckTest {

    static final String CHECK = Importer.HREF + "import-check/";

    @Inject
    ExchangeFixtures fixtures;

    private Path genuine;
    private String exported;

    @BeforeEach
    void genuineExport() throws Exception {
        exported = "check-" + UUID.randomUUID();
        Repository repository = fixtures.repository(exported);
        fixtures.add(repository, fixtures.signedImage("1.0").ids());
        genuine = ExchangeApi.export(ExchangeApi.exporter(ExchangeApi.freshDirectory(), repository.href()), Map.of("chunk_size", "4KB"));
    }

    private static ValidatableResponse check(Object path, Map<String, String> mapping) {
        Map<String, Object> body = new HashMap<>();
        body.put("path", path == null ? null : path.toString());
        if (mapping != null) {
            body.put("repo_mapping", mapping);
        }
        return asAdmin().contentType(ContentType.JSON).body(body).post(CHECK).then().statusCode(200);
    }

    private static void tocInvalid(Path toc, String message) {
        check(toc, null).body("path.is_valid", equalTo(true)).body("toc.is_valid", equalTo(false))
                .body("toc.messages[0]", containsString(message)).body("header.messages[0]", containsString("not checked"));
    }

    @Test
    void aGenuineArchivePassesEveryCheck() {
        check(genuine, Map.of(exported, "b"))
                .body("path.context", equalTo(genuine.toString())).body("path.is_valid", equalTo(true)).body("path.messages", empty())
                .body("toc.is_valid", equalTo(true)).body("toc.messages", empty())
                .body("header.is_valid", equalTo(true)).body("header.context", containsString("format " + ArchiveFormat.VERSION))
                .body("repo_mapping.is_valid", equalTo(true));
    }

    @Test
    void pathsNotAllowedOrNotFiles() throws Exception {
        check("/etc/passwd", null).body("path.is_valid", equalTo(false)).body("path.messages[0]", containsString("is not under"))
                .body("toc.is_valid", equalTo(false)).body("toc.messages[0]", containsString("not checked"));
        check("relative-toc.json", null).body("path.messages[0]", containsString("absolute path"));
        check(ExchangeApi.freshDirectory(), null).body("path.messages[0]", containsString("not a regular file"));
        check(ExchangeApi.ROOT.resolve("missing-toc.json"), null).body("path.messages[0]", containsString("not a regular file"));
    }

    @Test
    void aTamperedOrMissingChunk() throws Exception {
        TableOfContents toc = ExchangeApi.toc(genuine);
        Path second = genuine.resolveSibling(toc.chunks().get(1).file());
        byte[] bytes = Files.readAllBytes(second);
        bytes[7] ^= 1;
        Files.write(second, bytes);
        tocInvalid(genuine, "is damaged");
        Files.delete(second);
        tocInvalid(genuine, "is missing");
    }

    @Test
    void aTableOfContentsThatIsNotOneOrOfAnUnknownFormat() throws Exception {
        TableOfContents toc = ExchangeApi.toc(genuine);
        tocInvalid(ArchiveTestFiles.writeToc(genuine.getParent(), new TableOfContents(toc.format(), "2.0", toc.created(),
                toc.chunkSize(), toc.chunks(), toc.entries())), "unsupported format version '2.0'");
        tocInvalid(ArchiveTestFiles.writeToc(genuine.getParent(), new TableOfContents("tarball", toc.formatVersion(), toc.created(),
                toc.chunkSize(), toc.chunks(), toc.entries())), "not a Sigil export");
        Path garbage = genuine.resolveSibling("garbage-toc.json");
        Files.writeString(garbage, "{\"format\":");
        tocInvalid(garbage, "table of contents is not valid");
        List<TableOfContents.Chunk> escaping = new ArrayList<>(toc.chunks());
        escaping.set(0, new TableOfContents.Chunk("../" + escaping.get(0).file(), escaping.get(0).size(), escaping.get(0).sha256()));
        tocInvalid(ArchiveTestFiles.writeToc(genuine.getParent(), new TableOfContents(toc.format(), toc.formatVersion(),
                toc.created(), toc.chunkSize(), escaping, toc.entries())), "is not a plain, unique file name");
    }

    @Test
    void aHeaderOfAnUnknownVersionOrNotFirst() throws Exception {
        List<ArchiveTestFiles.TestEntry> entries = ArchiveTestFiles.fileEntries(genuine);
        String header = new String(entries.get(0).data(), StandardCharsets.UTF_8).replace("\"" + ArchiveFormat.VERSION + "\"", "\"9.0\"");
        List<ArchiveTestFiles.TestEntry> newer = new ArrayList<>(entries);
        newer.set(0, ArchiveTestFiles.TestEntry.file(ArchiveFormat.HEADER, header.getBytes(StandardCharsets.UTF_8)));
        Path directory = ExchangeApi.freshDirectory();
        check(ArchiveTestFiles.writeToc(directory, ArchiveTestFiles.write(directory, newer)), null)
                .body("toc.is_valid", equalTo(true)).body("header.is_valid", equalTo(false))
                .body("header.messages[0]", containsString("unsupported format version '9.0'"));

        List<ArchiveTestFiles.TestEntry> reordered = new ArrayList<>(entries);
        reordered.add(1, reordered.remove(0));
        Path other = ExchangeApi.freshDirectory();
        check(ArchiveTestFiles.writeToc(other, ArchiveTestFiles.write(other, reordered)), null)
                .body("header.is_valid", equalTo(false)).body("header.messages[0]", containsString("does not start with"));
    }

    @Test
    void aMappingThatNamesNoRepositoryOfTheArchiveIsInvalid() {
        check(genuine, Map.of("not-in-the-archive", "b")).body("header.is_valid", equalTo(true))
                .body("repo_mapping.is_valid", equalTo(false))
                .body("repo_mapping.messages[0]", containsString("[not-in-the-archive], which the archive does not carry"))
                .body("repo_mapping.messages[0]", containsString(exported));
    }

    @Test
    void aRepositoryMappingAloneOrInvalid() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("repo_mapping", Map.of("a", "x", "b", "x"))).post(CHECK).then()
                .statusCode(200).body("path", nullValue()).body("repo_mapping.is_valid", equalTo(false))
                .body("repo_mapping.messages[0]", containsString("map to 'x'"));
    }

    @Test
    void aRequestWithNothingToCheckOrWithoutAdminRights() {
        asAdmin().contentType(ContentType.JSON).body(Map.of()).post(CHECK).then().statusCode(400)
                .body("detail", containsString("path"));
        given().contentType(ContentType.JSON).body(Map.of("path", genuine.toString())).post(CHECK).then().statusCode(401);
    }
}
