import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an OCI layout with one image (tag "bench"): a config and two gzip layers of random bytes, LAYER_KIB and
 * LAYER_KIB/8 KiB. Usage: java MakeImage.java DIR LAYER_KIB. Prints the big layer's digest.
 */
public class MakeImage {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int kib = Integer.parseInt(args[1]);
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Random random = new Random(42);
        String[] big = layer(dir, random, kib * 1024);
        String[] small = layer(dir, random, kib * 128);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + big[2] + "\",\"" + small[2] + "\"]}}";
        String[] cfg = write(dir, config.getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + desc("application/vnd.oci.image.config.v1+json", cfg) + ",\"layers\":["
                + desc("application/vnd.oci.image.layer.v1.tar+gzip", big) + ","
                + desc("application/vnd.oci.image.layer.v1.tar+gzip", small) + "]}";
        String[] m = write(dir, manifest.getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[" + desc(
                "application/vnd.oci.image.manifest.v1+json", m).replaceFirst("}$",
                ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"bench\"}}") + "]}");
        System.out.println(big[0]);
    }

    static String desc(String type, String[] blob) {
        return "{\"mediaType\":\"" + type + "\",\"digest\":\"" + blob[0] + "\",\"size\":" + blob[1] + "}";
    }

    /** {digest, size, diffId} of a gzip layer over random bytes. */
    static String[] layer(Path dir, Random random, int size) throws Exception {
        byte[] raw = new byte[size];
        random.nextBytes(raw);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw);
        }
        String[] blob = write(dir, gz.toByteArray());
        return new String[] {blob[0], blob[1], sha256(raw)};
    }

    static String[] write(Path dir, byte[] bytes) throws Exception {
        String digest = sha256(bytes);
        Files.write(dir.resolve("blobs/sha256").resolve(digest.substring(7)), bytes);
        return new String[] {digest, String.valueOf(bytes.length)};
    }

    static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
