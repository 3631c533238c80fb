package io.sigil.common;

import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The URL clients reach Sigil by ({@code sigil.content-origin}, Pulp's {@code CONTENT_ORIGIN}), e.g.
 * {@code https://registry.example.com}. It names the token realm and service of registry challenges and is the host of
 * the image references Sigil signs and checks; never taken from a request's {@code Host}, which any client sets.
 * Unset, it is {@code http://localhost:<HTTP port>}: right for a single machine, and harmless elsewhere (a remote
 * client is sent to its own localhost, never to a host an attacker named).
 */
@ApplicationScoped
public class ContentOrigin {

    private volatile URI origin;

    /** The origin without a trailing slash, e.g. {@code https://registry.example.com}. */
    public URI uri() {
        URI current = origin;
        if (current == null) {
            // read on first use, after the HTTP server bound its port (tests use a random one)
            current = parse(configured());
            origin = current;
        }
        return current;
    }

    /** host[:port], as image references and the token service name this registry. */
    public String host() {
        return uri().getAuthority();
    }

    /** The Docker token endpoint clients are sent to. */
    public String tokenRealm() {
        return uri() + "/token";
    }

    private static String configured() {
        Config config = ConfigProvider.getConfig();
        return config.getOptionalValue("sigil.content-origin", String.class).filter(s -> !s.isBlank())
                .orElseGet(() -> "http://localhost:" + port(config));
    }

    private static int port(Config config) {
        String property = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return config.getOptionalValue(property, Integer.class).orElse(8080);
    }

    static URI parse(String text) {
        String trimmed = text.trim();
        trimmed = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        try {
            URI uri = new URI(trimmed);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
            if (!http || uri.getHost() == null || !bare) {
                throw new IllegalStateException("sigil.content-origin must be scheme://host[:port], e.g. "
                        + "https://registry.example.com, not '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("sigil.content-origin is not a URL: '" + text + "'", e);
        }
    }
}
