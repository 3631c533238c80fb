package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The distribution cache also remembers names that have no distribution; requests for random names must not make it
 * grow without end. The profile makes entries live an hour, so only the size bound can keep it small.
 */
@QuarkusTest
@TestProfile(DistributionCacheTest.LongLivedSmallCache.class)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class DistributionCacheTest {

    private static final int CACHE_SIZE = 100;
    private static final int REQUESTS = 10_000;

    public static class LongLivedSmallCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sigil.registry.distribution-cache", "1h",
                    "sigil.registry.distribution-cache-size", String.valueOf(CACHE_SIZE));
        }
    }

    @Inject
    DistributionService distributions;

    @TestHTTPResource("/v2/")
    URI registry;

    @Test
    void anonymousRequestsForRandomMissingNamesLeaveTheCacheBounded() throws Exception {
        String name = RegistryTestClient.uniqueName("cached");
        RegistryTestClient.TestImage image = RegistryTestClient.image(name, 1);
        image.push(name, "v1").then().statusCode(201);

        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < REQUESTS; i++) {
            HttpRequest request = HttpRequest.newBuilder(registry.resolve("missing-" + UUID.randomUUID() + "/manifests/x"))
                    .GET().build();
            // Anonymous: a missing name answers as a private one would (401), after it was resolved (and cached).
            assertEquals(401, client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        }

        long cached = distributions.cachedResolutions();
        assertTrue(cached <= CACHE_SIZE, "the cache holds " + cached + " resolutions after " + REQUESTS
                + " requests for missing names, more than its bound of " + CACHE_SIZE);
        given().get("/v2/" + name + "/manifests/v1").then().statusCode(200)
                .header("Docker-Content-Digest", image.digest());
        given().get("/v2/missing-" + UUID.randomUUID() + "/manifests/x").then().statusCode(401)
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
    }
}
