package io.sigil.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.common.ApiException;
import io.sigil.signature.TrustedKey;
import io.sigil.signature.TrustedKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Remotes: creation, lookup, partial update and deletion, each field checked before anything is stored. */
@ApplicationScoped
public class RemoteService {

    private static final Pattern HREF = Pattern.compile(Pattern.quote(Remote.HREFS) + "([0-9a-f-]{36})/");
    private static final Pattern TRUSTED_KEY = Pattern.compile(Pattern.quote(TrustedKey.COLLECTION) + "([0-9a-f-]{36})/");

    @Inject
    TrustedKeys trustedKeys;
    @Inject
    RemotePasswords passwords;
    @Inject
    OutboundAddresses addresses;

    @Transactional
    public Remote create(JsonNode body) {
        Remote remote = new Remote();
        RemoteFields.apply(remote, body);
        requireReachableAddresses(body);
        sealPassword(remote, body);
        requireValidKeys(remote);
        requireUniqueName(remote.name, null);
        remote.persist();
        return remote;
    }

    public Remote get(UUID id) {
        return Remote.<Remote>find("pulpId", id).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("remote " + id + " does not exist"));
    }

    /** The remote an href names; a 400 on {@code field} when it names none. */
    public Remote byHref(String field, String href) {
        Matcher m = href == null ? null : HREF.matcher(href);
        if (m == null || !m.matches()) {
            throw ApiException.field(field, "'" + href + "' is not a remote href");
        }
        return Remote.<Remote>find("pulpId", UUID.fromString(m.group(1))).firstResultOptional()
                .orElseThrow(() -> ApiException.field(field, "remote " + href + " does not exist"));
    }

    @Transactional
    public Remote update(UUID id, JsonNode body) {
        Remote remote = get(id);
        String credentialRoute = credentialRoute(remote);
        RemoteFields.apply(remote, body);
        requireReachableAddresses(body);
        if (!body.has("password") && !credentialRoute.equals(credentialRoute(remote))) {
            remote.password = null; // the stored password was given for the old server: it never goes to the new one
            passwords.seal(remote);
        }
        sealPassword(remote, body);
        requireValidKeys(remote);
        requireUniqueName(remote.name, remote.id);
        remote.pulpLastUpdated = OffsetDateTime.now();
        return remote;
    }

    @Transactional
    public void delete(UUID id) {
        get(id).delete();
    }

    /** The remote as a sync sees it, with trusted-key hrefs resolved to the keys they name now. */
    @Transactional
    public RemoteSettings settings(UUID id) {
        Remote remote = get(id);
        return RemoteSettings.of(remote, this::trustedKey, passwords.open(remote));
    }

    /**
     * Where the password travels in a form someone other than the upstream can read: the url's scheme, host and port,
     * and, for a plain-http url, the proxy (which then sees every header). Changing it clears a stored password
     * unless the same request gives one; the username stays, as it is no secret.
     */
    static String credentialRoute(Remote remote) {
        String route = origin(remote.url);
        boolean proxySeesHeaders = remote.url != null && remote.url.regionMatches(true, 0, "http:", 0, 5);
        return proxySeesHeaders && remote.proxyUrl != null ? route + " via " + origin(remote.proxyUrl) : route;
    }

    private static String origin(String url) {
        if (url == null) {
            return "";
        }
        URI uri = URI.create(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        return scheme + "://" + (uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
    }

    /** The addresses the request sets must be ones remotes may reach (400 naming the field and the address). */
    private void requireReachableAddresses(JsonNode body) {
        for (String field : List.of("url", "proxy_url", "sigstore")) {
            JsonNode value = body.get(field);
            if (value != null && value.isTextual()) {
                addresses.refusal(URI.create(value.asText())).ifPresent(refusal -> {
                    throw ApiException.field(field, refusal);
                });
            }
        }
    }

    private void sealPassword(Remote remote, JsonNode body) {
        if (body.has("password")) {
            passwords.seal(remote);
        }
    }

    private void requireValidKeys(Remote remote) {
        try {
            VerifyKeys.parse(remote.verifyWith, this::trustedKey);
        } catch (IllegalArgumentException e) {
            throw ApiException.field("verify_with", e.getMessage());
        }
    }

    /** The trusted key an href names, with all its trust (keys, Rekor logs, CAs, identities). */
    private TrustedKey trustedKey(String href) {
        Matcher m = TRUSTED_KEY.matcher(href);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + href + "' is not a trusted-key href");
        }
        try {
            return trustedKeys.get(UUID.fromString(m.group(1)));
        } catch (ApiException e) {
            throw new IllegalArgumentException("trusted key " + href + " does not exist", e);
        }
    }

    private static void requireUniqueName(String name, Long self) {
        long clashes = self == null ? Remote.count("name", name) : Remote.count("name = ?1 and id <> ?2", name, self);
        if (clashes > 0) {
            throw ApiException.field("name", "a remote named '" + name + "' already exists");
        }
    }
}
