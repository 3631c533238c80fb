package io.sigil.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.sigil.testing.PostgresDatabaseResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * 40 wrong passwords, 8 at a time, against one user with the real limits (5 per user, 20 per address): past the
 * limit they are answered 429 with Retry-After and no bcrypt, and valid clients meanwhile are answered from the
 * credential cache. Asserted on bcrypt calls, not on time.
 */
@QuarkusTest
@TestProfile(LoginThrottleTest.RealLimits.class)
@WithTestResource(value = PostgresDatabaseResource.class, scope = TestResourceScope.GLOBAL)
class LoginThrottleTest {

    public static class RealLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sigil.auth.login-failures-per-user", "5", "sigil.auth.login-failures-per-address", "20");
        }
    }

    private static final String ENDPOINT = "/pulp/api/v3/repositories/container/container/";

    @Inject
    PasswordHasher hasher;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void guessesAreThrottledWithoutBcryptWhileValidClientsNeverWaitOnIt() throws Exception {
        String victim = TestUsers.uniqueName("victim");
        String colleague = TestUsers.uniqueName("colleague");
        TestUsers.create(victim, "victim-password", false);
        TestUsers.create(colleague, "colleague-password", false);
        assertEquals(200, get(victim, "victim-password").statusCode()); // verified once, then cached
        assertEquals(200, get(colleague, "colleague-password").statusCode());

        long bcryptBefore = hasher.verifications();
        List<Future<HttpResponse<String>>> guesses = new ArrayList<>();
        List<Future<HttpResponse<String>>> valid = new ArrayList<>();
        ExecutorService attackers = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 40; i++) {
                String guess = "guess-" + i;
                guesses.add(attackers.submit(() -> get(victim, guess)));
                if (i % 5 == 0) {
                    valid.add(attackers.submit(() -> get(victim, "victim-password")));
                    valid.add(attackers.submit(() -> get(colleague, "colleague-password")));
                }
            }
            int refused = 0;
            int throttled = 0;
            for (Future<HttpResponse<String>> guess : guesses) {
                HttpResponse<String> answer = guess.get();
                if (answer.statusCode() == 429) {
                    throttled++;
                    long retryAfter = Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow());
                    assertTrue(retryAfter >= 1 && retryAfter <= 61, "Retry-After " + retryAfter);
                    assertTrue(answer.body().contains("Too many failed logins"), answer.body());
                } else {
                    assertEquals(401, answer.statusCode(), answer.body());
                    refused++;
                }
            }
            assertEquals(5, refused, "exactly the per-user limit is checked");
            assertEquals(35, throttled);
            for (Future<HttpResponse<String>> request : valid) {
                assertEquals(200, request.get().statusCode(), "a valid client is never throttled");
            }
        } finally {
            attackers.shutdownNow();
        }
        assertEquals(5, hasher.verifications() - bcryptBefore, "bcrypt ran for the 5 allowed guesses only");

        // the right password, not cached, waits like the guesser (the user is locked for the window)...
        HttpResponse<String> locked = get(victim, "victim-password-changed");
        assertEquals(429, locked.statusCode());
        // ...while other users from the same address log in (the address has used 5 of its 20)
        String newcomer = TestUsers.uniqueName("newcomer");
        TestUsers.create(newcomer, "newcomer-password", false);
        assertEquals(200, get(newcomer, "newcomer-password").statusCode());
    }

    private HttpResponse<String> get(String username, String password) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + ENDPOINT))
                .header("Authorization", "Basic " + credentials).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
