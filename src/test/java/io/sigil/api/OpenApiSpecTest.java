package io.sigil.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sigil.testing.PostgresDatabaseResource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code api-spec/openapi.json} equal to the document the server serves. After an intended API change,
 * regenerate it with {@code ./mvnw test -Dtest=OpenApiSpecTest -Dsigil.openapi.write=true}.
 */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class OpenApiSpecTest {

    static final Path COMMITTED = Path.of("api-spec", "openapi.json");
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @Test
    void committedSpecMatchesTheServedOne() throws Exception {
        String served = given().queryParam("format", "json").get("/pulp/api/v3/docs/api.json")
                .then().statusCode(200).extract().asString();
        String normalized = normalize(MAPPER.readTree(served));
        if (Boolean.getBoolean("sigil.openapi.write")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, normalized);
        }
        String committed = Files.exists(COMMITTED) ? normalize(MAPPER.readTree(Files.readString(COMMITTED))) : "(missing)";
        assertEquals(committed, normalized, "api-spec/openapi.json differs from the served OpenAPI document; "
                + "regenerate it with -Dsigil.openapi.write=true and review the diff");
    }

    private static String normalize(JsonNode node) throws Exception {
        // Round-trip through a sorted map so key order never causes a false difference.
        Object tree = MAPPER.treeToValue(node, Object.class);
        return MAPPER.writeValueAsString(tree) + "\n";
    }
}
