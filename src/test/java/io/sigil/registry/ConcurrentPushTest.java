package io.sigil.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sigil.testing.OciLayout;
import io.sigil.testing.PostgresDatabaseResource;
import io.sigil.testing.Skopeo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes do not go through the task queue: 16 skopeo copies into one repository at once all succeed. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class ConcurrentPushTest {

    private static final int PUSHES = 16;

    @Test
    void sixteenConcurrentCopiesOfDifferentTagsAllLand(@TempDir Path tmp) throws Exception {
        OciLayout layout = new OciLayout(tmp, 16);
        OciLayout.Blob base = layout.layer(4000);
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < PUSHES; i++) {
            layout.tag("t" + i, layout.image("amd64", base, layout.layer(1000 + i)));
            tags.add("t" + i);
        }
        String name = "concurrent/" + UUID.randomUUID().toString().substring(0, 8);
        String target = "docker://127.0.0.1:" + RestAssured.port + "/" + name;
        Skopeo skopeo = new Skopeo();

        ExecutorService pool = Executors.newFixedThreadPool(PUSHES);
        try {
            List<Future<Skopeo.Result>> copies = new ArrayList<>();
            for (String tag : tags) {
                copies.add(pool.submit(() -> skopeo.copy("oci:" + layout.dir() + ":" + tag, target + ":" + tag,
                        "--dest-creds", "admin:password")));
            }
            for (Future<Skopeo.Result> copy : copies) {
                copy.get().requireSuccess();
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> listed = given().get("/v2/" + name + "/tags/list").then().statusCode(200)
                .extract().jsonPath().getList("tags", String.class);
        assertThat(listed, containsInAnyOrder(tags.toArray()));
        // Version 0 from creation, then exactly one version per manifest PUT.
        given().auth().preemptive().basic("admin", "password").queryParam("name", name)
                .get("/pulp/api/v3/repositories/container/container/").then().statusCode(200)
                .body("results[0].latest_version_href", endsWith("/versions/" + PUSHES + "/"));
        int versions = given().auth().preemptive().basic("admin", "password").queryParam("name", name)
                .get("/pulp/api/v3/repositories/container/container/").jsonPath().getString("results[0].versions_href")
                .transform(href -> given().auth().preemptive().basic("admin", "password").get(href).jsonPath().getInt("count"));
        assertEquals(PUSHES + 1, versions);
    }
}
