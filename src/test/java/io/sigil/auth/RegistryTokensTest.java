package io.sigil.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

class RegistryTokensTest {

    private static final TokenSigningKey KEY = TokenSigningKey.generate();
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private static final String SERVICE = "registry.example:24817";

    private final RegistryAccessPolicy policy = new DefaultRegistryAccessPolicy();
    private final RegistryTokens tokens = at(NOW);

    private RegistryTokens at(Instant now) {
        return at(now, KEY);
    }

    private RegistryTokens at(Instant now, TokenSigningKey key) {
        return new RegistryTokens(policy, () -> key, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static List<RegistryScope> pullPush(String name) {
        return List.of(RegistryScope.repository(name, "pull", "push"));
    }

    @Test
    void roundTripKeepsSubjectAccessAndTimes() {
        RegistryToken issued = tokens.issue(new Caller("alice", false), SERVICE, pullPush("team/app"));
        RegistryToken verified = tokens.verify(issued.encoded(), SERVICE);
        assertEquals("alice", verified.subject());
        assertEquals(List.of(RegistryScope.repository("team/app", "pull", "push")), verified.access());
        assertEquals(NOW, verified.issuedAt());
        assertEquals(NOW.plus(RegistryTokens.LIFETIME), verified.expiresAt());
        assertTrue(verified.allows("repository", "team/app", "push"));
        assertFalse(verified.allows("repository", "team/other", "pull"));
    }

    @Test
    void anonymousGetsPullOnlyAndAnEmptySubject() {
        RegistryToken token = tokens.verify(tokens.issue(Caller.ANONYMOUS, SERVICE, pullPush("app")).encoded(), SERVICE);
        assertEquals("", token.subject());
        assertEquals(List.of(RegistryScope.repository("app", "pull")), token.access());
    }

    @Test
    void usersGetPullAndPushButNotDeleteOrTheCatalog() {
        List<RegistryScope> asked = List.of(RegistryScope.repository("app", "pull", "push", "delete"),
                RegistryScope.parse("registry:catalog:*"));
        RegistryToken token = tokens.issue(new Caller("alice", false), SERVICE, asked);
        assertEquals(List.of(RegistryScope.repository("app", "pull", "push")), token.access());
    }

    @Test
    void adminsGetEverythingTheyAsk() {
        List<RegistryScope> asked = List.of(RegistryScope.repository("app", "pull", "push", "delete"),
                RegistryScope.parse("registry:catalog:*"));
        RegistryToken token = tokens.verify(tokens.issue(new Caller("root", true), SERVICE, asked).encoded(), SERVICE);
        assertEquals(asked, token.access());
        assertTrue(token.allows("registry", "catalog", "anything"));
    }

    @Test
    void policyCannotGrantMoreThanAsked() {
        RegistryTokens generous = new RegistryTokens((caller, scope) -> Set.of("pull", "push", "delete"), () -> KEY,
                Clock.fixed(NOW, ZoneOffset.UTC));
        RegistryToken token = generous.issue(Caller.ANONYMOUS, SERVICE, List.of(RegistryScope.repository("app", "pull")));
        assertEquals(Set.of("pull"), token.access().get(0).actions());
    }

    @Test
    void expiresAfterLifetimeAndSkew() {
        String token = tokens.issue(new Caller("alice", false), SERVICE, pullPush("app")).encoded();
        at(NOW.plus(RegistryTokens.LIFETIME).minusSeconds(1)).verify(token, SERVICE);
        InvalidTokenException e = assertThrows(InvalidTokenException.class,
                () -> at(NOW.plus(RegistryTokens.LIFETIME).plusSeconds(31)).verify(token, SERVICE));
        assertEquals("token has expired", e.getMessage());
    }

    @Test
    void tamperedPayloadIsRejected() {
        String[] parts = tokens.issue(Caller.ANONYMOUS, SERVICE, pullPush("app")).encoded().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = payload.replace("[\"pull\"]", "[\"pull\",\"push\"]");
        assertTrue(!forged.equals(payload), "the forgery must change the payload: " + payload);
        String token = parts[0] + "." + base64Url(forged) + "." + parts[2];
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, SERVICE));
    }

    @Test
    void tamperedSignatureIsRejected() {
        String token = tokens.issue(Caller.ANONYMOUS, SERVICE, pullPush("app")).encoded();
        char last = token.charAt(token.length() - 10);
        String altered = token.substring(0, token.length() - 10) + (last == 'A' ? 'B' : 'A')
                + token.substring(token.length() - 9);
        assertThrows(InvalidTokenException.class, () -> tokens.verify(altered, SERVICE));
    }

    @Test
    void tokenSignedWithAnotherKeyIsRejected() {
        String foreign = at(NOW, TokenSigningKey.generate()).issue(new Caller("root", true), SERVICE, pullPush("app"))
                .encoded();
        assertThrows(InvalidTokenException.class, () -> tokens.verify(foreign, SERVICE));
    }

    @Test
    void unsignedAndHmacTokensAreRejected() throws Exception {
        String payload = tokens.issue(new Caller("alice", false), SERVICE, pullPush("app")).encoded().split("\\.")[1];
        String none = base64Url("{\"alg\":\"none\"}") + "." + payload + ".";
        assertThrows(InvalidTokenException.class, () -> tokens.verify(none, SERVICE));

        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKey(new HmacKey(KEY.publicKey().getEncoded())); // the classic RS256/HS256 confusion
        String confused = hmac.getCompactSerialization();
        assertThrows(InvalidTokenException.class, () -> tokens.verify(confused, SERVICE));
    }

    @Test
    void tokenForAnotherServiceIsRejected() {
        String token = tokens.issue(new Caller("alice", false), "elsewhere:5000", pullPush("app")).encoded();
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token, SERVICE));
    }

    @Test
    void garbageIsRejected() {
        assertThrows(InvalidTokenException.class, () -> tokens.verify("not-a-jwt", SERVICE));
    }

    @Test
    void challengeNamesRealmServiceAndScopes() {
        URI base = URI.create("http://registry.example:24817/");
        assertEquals("Bearer realm=\"http://registry.example:24817/token\",service=\"registry.example:24817\","
                        + "scope=\"repository:team/app:pull,push repository:base:pull\"",
                RegistryTokens.challenge(base, List.of(RegistryScope.repository("team/app", "pull", "push"),
                        RegistryScope.repository("base", "pull"))));
        assertEquals("Bearer realm=\"https://r.example/token\",service=\"r.example\"",
                RegistryTokens.challenge(URI.create("https://r.example"), List.of()));
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
