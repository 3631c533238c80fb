import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times repository-version operations through Sigil's REST API against a seeded repository (see run.sh).
 * Usage: java CoreBench.java BASE_URL USER:PASSWORD REPOSITORY_HREF RETAG_HREF ORIGINAL_TAG_HREF NEW_TAG_HREFS_FILE
 */
public class CoreBench {

    static HttpClient http = HttpClient.newHttpClient();
    static String base, auth;

    public static void main(String[] args) throws Exception {
        base = args[0];
        auth = "Basic " + Base64.getEncoder().encodeToString(args[1].getBytes(StandardCharsets.UTF_8));
        String repo = args[2];
        String retag = args[3];
        String original = args[4];
        List<String> newTags = Files.readAllLines(Path.of(args[5])).stream().filter(l -> !l.isBlank()).toList();

        String latest = field(get(repo), "latest_version_href");
        long pageCold = time(() -> get("/pulp/api/v3/content/container/tags/?repository_version=" + latest + "&limit=100"));
        for (int i = 0; i < 100; i++) { // warm the JIT: the figures below are for a running server
            get("/pulp/api/v3/content/container/" + (i % 2 == 0 ? "tags" : "manifests") + "/?repository_version=" + latest
                    + "&limit=100&offset=" + (i * 997 % 90000));
        }
        List<Long> pages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int offset = i * 5000;
            pages.add(time(() -> get("/pulp/api/v3/content/container/tags/?repository_version=" + latest + "&limit=100&offset=" + offset)));
        }
        Collections.sort(pages);
        long manifestsPage = time(() -> get("/pulp/api/v3/content/container/manifests/?repository_version=" + latest + "&limit=100"));

        // Move tag-1 back and forth: each change makes a version that replaces one tag unit.
        List<Timed> oneTag = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            oneTag.add(modify(repo, List.of(i % 2 == 0 ? retag : original)));
        }
        List<Timed> warm = new ArrayList<>(oneTag.subList(1, oneTag.size()));
        warm.sort(java.util.Comparator.comparingLong(Timed::wallMs));
        Timed tenThousand = modify(repo, newTags);

        System.out.printf("one-tag change (a new version of the 100,000-manifest repository): first %d ms end to end (task %d ms); "
                + "then median %d ms end to end (task %d ms), max %d ms over 8 more%n",
                oneTag.get(0).wallMs, oneTag.get(0).taskMs, warm.get(warm.size() / 2).wallMs, warm.get(warm.size() / 2).taskMs,
                warm.get(warm.size() - 1).wallMs);
        System.out.printf("list one page (100 tags) of the latest version: cold server %d ms; warm: median %d ms, max %d ms over 20 offsets; 100 manifests %d ms%n",
                pageCold, pages.get(pages.size() / 2), pages.get(pages.size() - 1), manifestsPage);
        System.out.printf("modify adding %d tags (with their manifests and blobs): %d ms end to end (task ran %d ms)%n",
                newTags.size(), tenThousand.wallMs, tenThousand.taskMs);
    }

    record Timed(long wallMs, long taskMs) {
    }

    static Timed modify(String repo, List<String> hrefs) throws Exception {
        String body = "{\"add_content_units\":[" + String.join(",", hrefs.stream().map(h -> "\"" + h + "\"").toList()) + "]}";
        long start = System.nanoTime();
        String task = field(post(repo + "modify/", body), "task");
        String state;
        String json;
        do {
            Thread.sleep(5);
            json = get(task);
            state = field(json, "state");
        } while (state.equals("waiting") || state.equals("running"));
        long wall = (System.nanoTime() - start) / 1_000_000;
        if (!state.equals("completed")) {
            throw new IllegalStateException("task " + state + ": " + json);
        }
        long taskMs = Duration.between(OffsetDateTime.parse(field(json, "started_at")), OffsetDateTime.parse(field(json, "finished_at"))).toMillis();
        return new Timed(wall, taskMs);
    }

    interface Call {
        void run() throws Exception;
    }

    static long time(Call call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    static String get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth).GET().build());
    }

    static String post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static String send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(request.uri() + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
