package io.sigil.auth;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Registry bearer tokens (Docker token spec): RS256 JWTs with {@code sub}, {@code aud} (the service),
 * {@code access: [{type, name, actions}]} and a five-minute {@code exp}. What a token grants comes from the
 * {@link RegistryAccessPolicy}. The /v2/ API verifies tokens with {@link #verify} and, when a request lacks one,
 * answers 401 with {@link #challenge}.
 */
@Singleton
public class RegistryTokens {

    public static final Duration LIFETIME = Duration.ofSeconds(300);
    static final String ISSUER = "sigil";
    /** Tolerated clock difference between processes when checking exp and iat. */
    private static final int CLOCK_SKEW_SECONDS = 30;

    /** Claims binding a user's token to the user's id and token generation ({@link UserTokens}). */
    static final String USER_CLAIM = "uid";
    static final String GENERATION_CLAIM = "gen";
    private static final UserTokens.Stamp ANY_USER = new UserTokens.Stamp(new UUID(0, 0), 0);

    private final RegistryAccessPolicy policy;
    private final Supplier<TokenSigningKey> key;
    private final Clock clock;
    private final Function<String, Optional<UserTokens.Stamp>> stamps;

    @Inject
    RegistryTokens(RegistryAccessPolicy policy, TokenKeyStore keys, UserTokens users) {
        this(policy, keys::current, Clock.systemUTC(), users::current);
    }

    /** For tests without users: every name is a user whose tokens never end. */
    RegistryTokens(RegistryAccessPolicy policy, Supplier<TokenSigningKey> key, Clock clock) {
        this(policy, key, clock, username -> Optional.of(ANY_USER));
    }

    RegistryTokens(RegistryAccessPolicy policy, Supplier<TokenSigningKey> key, Clock clock,
                   Function<String, Optional<UserTokens.Stamp>> stamps) {
        this.policy = policy;
        this.key = key;
        this.clock = clock;
        this.stamps = stamps;
    }

    /** Signs a token for {@code service} granting the caller what the policy allows of each requested scope. */
    public RegistryToken issue(Caller caller, String service, List<RegistryScope> requested) {
        List<RegistryScope> granted = new ArrayList<>();
        for (RegistryScope scope : requested) {
            RegistryScope allowed = scope.narrowedTo(policy.grantedActions(caller, scope));
            if (!allowed.actions().isEmpty()) {
                granted.add(allowed);
            }
        }
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = issuedAt.plus(LIFETIME);
        String subject = caller.anonymous() ? "" : caller.username();
        TokenSigningKey signing = key.get();
        var claims = Jwt.claims()
                .issuer(ISSUER)
                .subject(subject)
                .audience(service)
                .issuedAt(issuedAt)
                .expiresAt(expiresAt)
                .claim("access", granted.stream().map(RegistryTokens::accessClaim).toList());
        if (!caller.anonymous()) {
            // deleted between authentication and now: a stamp no user has, so the token never works
            UserTokens.Stamp stamp = stamps.apply(subject).orElse(new UserTokens.Stamp(UUID.randomUUID(), -1));
            claims.claim(USER_CLAIM, stamp.user().toString()).claim(GENERATION_CLAIM, stamp.generation());
        }
        String encoded = claims
                .jws().keyId(signing.kid()).algorithm(SignatureAlgorithm.RS256)
                .sign(signing.privateKey());
        return new RegistryToken(encoded, subject, service, granted, issuedAt, expiresAt);
    }

    /**
     * Checks signature, algorithm, issuer, audience ({@code service}) and expiry, and returns what the token grants.
     *
     * @throws InvalidTokenException if any check fails
     */
    public RegistryToken verify(String token, String service) {
        JwtClaims claims;
        try {
            claims = new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setRequireIssuedAt()
                    .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                    .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                    .setExpectedIssuer(ISSUER)
                    .setExpectedAudience(service)
                    .setVerificationKey(key.get().publicKey())
                    // Only what we sign: refuses "none" and HMAC tokens keyed with our public key.
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.RSA_USING_SHA256)
                    .build()
                    .processToClaims(token);
        } catch (InvalidJwtException e) {
            throw new InvalidTokenException(e.hasExpired() ? "token has expired" : "token is invalid");
        }
        try {
            String subject = claims.getSubject() == null ? "" : claims.getSubject();
            if (!subject.isEmpty()) {
                requireCurrentUser(subject, claims);
            }
            return new RegistryToken(token, subject, service, access(claims.getClaimValue("access")),
                    Instant.ofEpochSecond(claims.getIssuedAt().getValue()),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
        } catch (InvalidTokenException e) {
            throw e;
        } catch (MalformedClaimException | RuntimeException e) {
            // Signed by us yet unreadable (e.g. an access entry of the wrong shape): refuse rather than guess.
            throw new InvalidTokenException("token claims are malformed");
        }
    }

    /** A user's token works while its user exists and has not ended its tokens (new password, lost admin, ...). */
    private void requireCurrentUser(String subject, JwtClaims claims) throws MalformedClaimException {
        Object generation = claims.getClaimValue(GENERATION_CLAIM);
        UserTokens.Stamp issued = new UserTokens.Stamp(UUID.fromString(claims.getStringClaimValue(USER_CLAIM)),
                generation instanceof Number n ? n.longValue() : -1);
        if (!stamps.apply(subject).map(issued::equals).orElse(false)) {
            throw new InvalidTokenException("token is no longer valid: its user was deleted or changed their credentials");
        }
    }

    /** The service name clients must ask tokens for: host[:port] of the base URI they reached us at. */
    public static String service(URI base) {
        return base.getPort() < 0 ? base.getHost() : base.getHost() + ":" + base.getPort();
    }

    /**
     * The {@code WWW-Authenticate} value for a 401 from the registry API, e.g. {@code Bearer
     * realm="http://host:24817/token",service="host:24817",scope="repository:foo:pull,push"}.
     */
    public static String challenge(URI base, List<RegistryScope> scopes) {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        StringBuilder value = new StringBuilder("Bearer realm=\"").append(root).append("token\",service=\"")
                .append(service(base)).append('"');
        if (!scopes.isEmpty()) {
            value.append(",scope=\"")
                    .append(scopes.stream().map(RegistryScope::toString).collect(Collectors.joining(" ")))
                    .append('"');
        }
        return value.toString();
    }

    private static Map<String, Object> accessClaim(RegistryScope scope) {
        return Map.of("type", scope.type(), "name", scope.name(), "actions", List.copyOf(scope.actions()));
    }

    private static List<RegistryScope> access(Object claim) {
        if (claim == null) {
            return List.of();
        }
        List<RegistryScope> scopes = new ArrayList<>();
        for (Object entry : (List<?>) claim) {
            Map<?, ?> map = (Map<?, ?>) entry;
            Set<String> actions = new LinkedHashSet<>();
            for (Object action : (List<?>) map.get("actions")) {
                actions.add((String) action);
            }
            scopes.add(new RegistryScope((String) map.get("type"), (String) map.get("name"), actions));
        }
        return scopes;
    }
}
