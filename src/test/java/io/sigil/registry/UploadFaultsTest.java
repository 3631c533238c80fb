package io.sigil.registry;

import static io.sigil.registry.RegistryTestClient.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sigil.storage.Digest;
import io.sigil.testing.PostgresDatabaseResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Faults during an upload are answers, and the upload stays as it was, to be resumed. */
@QuarkusTest
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class UploadFaultsTest {

    @ConfigProperty(name = "sigil.storage.path")
    String storage;

    private static String startWith(String name, byte[] first) {
        String location = admin(name).post("/v2/" + name + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        admin(name).contentType("application/octet-stream").header("Content-Range", "0-" + (first.length - 1)).body(first)
                .patch(location).then().statusCode(202);
        return location;
    }

    private static void patch(String name, String location, String range, byte[] chunk, int status) {
        var request = admin(name).contentType("application/octet-stream").body(chunk);
        if (range != null) {
            request = request.header("Content-Range", range);
        }
        request.patch(location).then().statusCode(status);
    }

    @Test
    void aMalformedContentRangeIsRefusedWith416AndTheUploadKept() {
        String name = RegistryTestClient.uniqueName("faults");
        byte[] bytes = RegistryTestClient.randomBytes(2000);
        String location = startWith(name, Arrays.copyOf(bytes, 1000));

        for (String bad : new String[] {"abc", "1010-2"}) {
            admin(name).contentType("application/octet-stream").header("Content-Range", bad).body(new byte[10])
                    .patch(location).then().statusCode(416).body("errors[0].code", equalTo("BLOB_UPLOAD_INVALID"));
        }

        admin(name).get(location).then().statusCode(204).header("Range", "0-999");
        completes(name, location, bytes, 1000);
    }

    @Test
    void aChunkLongerOrShorterThanItsContentRangeIsRefusedWith416AndUndone() {
        String name = RegistryTestClient.uniqueName("faults");
        byte[] bytes = RegistryTestClient.randomBytes(2000);
        String location = startWith(name, Arrays.copyOf(bytes, 1000));

        patch(name, location, "1000-1999", Arrays.copyOfRange(bytes, 1000, 1500), 416); // shorter
        admin(name).get(location).then().statusCode(204).header("Range", "0-999");
        patch(name, location, "1000-1499", Arrays.copyOfRange(bytes, 1000, 2000), 416); // longer
        admin(name).get(location).then().statusCode(204).header("Range", "0-999");

        completes(name, location, bytes, 1000);
    }

    /** A tmpfs of 64 KiB over the storage directory stands for a full disk; enlarging it, for space freed. */
    @Test
    void aFullDiskAnswers507AndTheUploadResumesOnceSpaceIsFreed() throws Exception {
        Path root = Path.of(storage).toAbsolutePath();
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", root.toString()), "needs root to mount a small tmpfs");
        try {
            Files.createDirectories(root.resolve("uploads"));
            Files.createDirectories(root.resolve("blobs"));
            String name = RegistryTestClient.uniqueName("faults");
            byte[] bytes = RegistryTestClient.randomBytes(200_000);
            String location = startWith(name, Arrays.copyOf(bytes, 20_000));

            admin(name).contentType("application/octet-stream").header("Content-Range", "20000-199999")
                    .body(Arrays.copyOfRange(bytes, 20_000, 200_000)).patch(location)
                    .then().statusCode(507).body("errors[0].code", equalTo("UNKNOWN"))
                    .body("errors[0].message", containsString("storage is full"));
            admin(name).get(location).then().statusCode(204).header("Range", "0-19999");

            assumeTrue(run("mount", "-o", "remount,size=4m", root.toString()), "could not enlarge the tmpfs");
            completes(name, location, bytes, 20_000);
            admin(name).get("/v2/" + name + "/blobs/" + Digest.sha256Of(bytes)).then().statusCode(200);
        } finally {
            run("umount", "-l", root.toString());
        }
    }

    private static void completes(String name, String location, byte[] bytes, int from) {
        String digest = Digest.sha256Of(bytes).toString();
        patch(name, location, from + "-" + (bytes.length - 1), Arrays.copyOfRange(bytes, from, bytes.length), 202);
        admin(name).contentType("application/octet-stream").body(new byte[0]).put(location + "?digest=" + digest)
                .then().statusCode(201).header("Docker-Content-Digest", digest);
    }

    private static boolean run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor() == 0;
    }
}
