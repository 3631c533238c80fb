package io.sigil.registry;

import static io.sigil.registry.RegistryTestClient.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sigil.testing.PostgresDatabaseResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code sigil.registry.blob-delete.enabled=false}, blob deletes are 405 UNSUPPORTED and change nothing. */
@QuarkusTest
@TestProfile(BlobDeleteDisabledTest.BlobDeleteOff.class)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class BlobDeleteDisabledTest {

    public static class BlobDeleteOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sigil.registry.blob-delete.enabled", "false");
        }
    }

    @Test
    void blobDeleteIsMethodNotAllowed() {
        String name = RegistryTestClient.uniqueName("nodelete");
        String digest = RegistryTestClient.pushBlob(name, RegistryTestClient.randomBytes(20));
        admin(name).delete("/v2/" + name + "/blobs/" + digest).then().statusCode(405)
                .body("errors[0].code", equalTo("UNSUPPORTED"))
                .body("errors[0].message", containsString("sigil.registry.blob-delete.enabled"));
        admin(name).get("/v2/" + name + "/blobs/" + digest).then().statusCode(200);
    }
}
