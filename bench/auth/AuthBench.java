import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Valid-request latency idle and under a password-guessing attack. Args: base URL, admin user:password, rounds.
 * Each round: a fresh victim user (so the per-user window starts empty), 40 wrong passwords 8 at a time, and a valid
 * client (another user, already logged in once) calling every 20 ms meanwhile.
 */
public class AuthBench {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static String base;

    public static void main(String[] args) throws Exception {
        base = args[0];
        String admin = args[1];
        int rounds = Integer.parseInt(args[2]);
        String client = "bench-client-" + UUID.randomUUID().toString().substring(0, 8);
        createUser(admin, client, "client-password");
        send(client, "client-password"); // verified once: later calls are answered from the credential cache

        List<Long> idle = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            idle.add(timed(client, "client-password"));
            Thread.sleep(20);
        }
        List<Long> attacked = new ArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger throttled = new AtomicInteger();
        long attackNanos = 0;
        for (int round = 0; round < rounds; round++) {
            String victim = "bench-victim-" + UUID.randomUUID().toString().substring(0, 8);
            createUser(admin, victim, "victim-password");
            ExecutorService attackers = Executors.newFixedThreadPool(8);
            List<Future<Integer>> guesses = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 40; i++) {
                String guess = "guess-" + i;
                guesses.add(attackers.submit(() -> send(victim, guess)));
            }
            while (guesses.stream().anyMatch(f -> !f.isDone())) {
                attacked.add(timed(client, "client-password"));
                Thread.sleep(20);
            }
            attackNanos += System.nanoTime() - start;
            for (Future<Integer> guess : guesses) {
                (guess.get() == 429 ? throttled : refused).incrementAndGet();
            }
            attackers.shutdown();
        }
        double idleMs = median(idle) / 1e6;
        double attackedMs = median(attacked.isEmpty() ? List.of(0L) : attacked) / 1e6;
        System.out.printf("valid request, idle:           median %.2f ms (%d requests)%n", idleMs, idle.size());
        System.out.printf("valid request, under attack:   median %.2f ms (%d requests)%n", attackedMs, attacked.size());
        System.out.printf("ratio attack/idle:             %.2f%n", attackedMs / idleMs);
        System.out.printf("guesses: %d answered 401 (bcrypt ran), %d answered 429 (no bcrypt); %.0f ms per 40-guess round%n",
                refused.get(), throttled.get(), attackNanos / 1e6 / rounds);
    }

    static long timed(String user, String password) throws Exception {
        long start = System.nanoTime();
        int status = send(user, password);
        if (status != 200) {
            throw new IllegalStateException("valid request answered " + status);
        }
        return System.nanoTime() - start;
    }

    static int send(String user, String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/pulp/api/v3/repositories/container/container/?limit=1"))
                .header("Authorization", basic(user + ":" + password)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static void createUser(String admin, String name, String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/pulp/api/v3/users/"))
                .header("Authorization", basic(admin)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}"))
                .build();
        int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 201) {
            throw new IllegalStateException("creating user " + name + " answered " + status);
        }
    }

    static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
