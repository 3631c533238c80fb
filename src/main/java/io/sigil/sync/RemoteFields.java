package io.sigil.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.common.ApiException;
import io.sigil.common.Labels;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** Applies the JSON fields of a remote create or update to the entity, checking each (400 naming the field). */
final class RemoteFields {

    /** distribution-spec repository name. */
    private static final Pattern UPSTREAM_NAME = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Map<String, BiConsumer<Remote, JsonNode>> FIELDS = Map.ofEntries(
            Map.entry("name", (r, v) -> r.name = requiredText("name", v)),
            Map.entry("url", (r, v) -> r.url = httpUrl("url", requiredText("url", v))),
            Map.entry("upstream_name", (r, v) -> r.upstreamName = upstreamName(requiredText("upstream_name", v))),
            Map.entry("include_tags", (r, v) -> r.includeTags = stringList("include_tags", v)),
            Map.entry("exclude_tags", (r, v) -> r.excludeTags = stringList("exclude_tags", v)),
            Map.entry("username", (r, v) -> r.username = optionalText("username", v)),
            Map.entry("password", (r, v) -> r.password = optionalText("password", v)),
            Map.entry("tls_validation", (r, v) -> r.tlsValidation = bool("tls_validation", v)),
            Map.entry("ca_cert", (r, v) -> r.caCert = certificate(optionalText("ca_cert", v))),
            Map.entry("proxy_url", (r, v) -> r.proxyUrl = nullableUrl("proxy_url", optionalText("proxy_url", v))),
            Map.entry("connect_timeout", (r, v) -> r.connectTimeout = timeout("connect_timeout", v)),
            Map.entry("total_timeout", (r, v) -> r.totalTimeout = timeout("total_timeout", v)),
            Map.entry("download_concurrency", (r, v) -> r.downloadConcurrency = concurrency(v)),
            Map.entry("sigstore", (r, v) -> r.sigstore = nullableUrl("sigstore", optionalText("sigstore", v))),
            Map.entry("signature_sources", (r, v) -> r.signatureSources = sources(v)),
            Map.entry("signed_only", (r, v) -> r.signedOnly = bool("signed_only", v)),
            Map.entry("verify_with", (r, v) -> r.verifyWith = verifyWith(v)),
            Map.entry("preserve_signatures", (r, v) -> r.preserveSignatures = bool("preserve_signatures", v)),
            Map.entry("referrer_types", (r, v) -> r.referrerTypes = stringList("referrer_types", v)),
            Map.entry("pulp_labels", (r, v) -> r.pulpLabels = labels(v)));

    private RemoteFields() {
    }

    private static Map<String, String> labels(JsonNode v) {
        Map<String, String> labels = Labels.read("pulp_labels", v);
        return labels == null ? new java.util.HashMap<>() : labels;
    }

    static void apply(Remote remote, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("a JSON object is required");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            BiConsumer<Remote, JsonNode> setter = FIELDS.get(field.getKey());
            if (setter == null) {
                throw ApiException.field(field.getKey(), "unknown or read-only field");
            }
            setter.accept(remote, field.getValue());
        }
        requireConsistent(remote);
    }

    private static void requireConsistent(Remote remote) {
        for (String required : List.of("name", "url", "upstream_name")) {
            if ((required.equals("name") ? remote.name : required.equals("url") ? remote.url : remote.upstreamName) == null) {
                throw ApiException.field(required, "This field is required.");
            }
        }
        if (remote.signatureSources != null && remote.signatureSources.contains(SourceKind.LOOKASIDE.wireName())
                && remote.sigstore == null) {
            throw ApiException.field("signature_sources", "'lookaside' needs a sigstore URL");
        }
    }

    private static String requiredText(String field, JsonNode value) {
        String text = optionalText(field, value);
        if (text == null || text.isBlank()) {
            throw ApiException.field(field, "This field may not be blank.");
        }
        return text;
    }

    private static String optionalText(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.field(field, "must be a string");
        }
        return value.asText();
    }

    private static boolean bool(String field, JsonNode value) {
        if (!value.isBoolean()) {
            throw ApiException.field(field, "must be true or false");
        }
        return value.asBoolean();
    }

    private static String httpUrl(String field, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw ApiException.field(field, "'" + text + "' is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw ApiException.field(field, "'" + text + "' is not an http or https URL");
        }
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static String nullableUrl(String field, String text) {
        return text == null ? null : httpUrl(field, text);
    }

    private static String upstreamName(String name) {
        if (!UPSTREAM_NAME.matcher(name).matches() || name.length() > 255) {
            throw ApiException.field("upstream_name", "'" + name + "' is not a valid repository name");
        }
        return name;
    }

    private static List<String> stringList(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw ApiException.field(field, "must be a list of strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw ApiException.field(field, "must be a list of non-empty strings");
            }
            items.add(item.asText());
        }
        return List.copyOf(items);
    }

    private static Double timeout(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || value.asDouble() <= 0) {
            throw ApiException.field(field, "must be a positive number of seconds");
        }
        return value.asDouble();
    }

    private static int concurrency(JsonNode value) {
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > 100) {
            throw ApiException.field("download_concurrency", "must be an integer from 1 to 100");
        }
        return value.asInt();
    }

    private static List<String> sources(JsonNode value) {
        List<String> sources = stringList("signature_sources", value);
        if (sources != null) {
            sources.stream().filter(s -> SourceKind.of(s).isEmpty()).findFirst().ifPresent(s -> {
                throw ApiException.field("signature_sources", "unknown source '" + s
                        + "'; use extension, lookaside, cosign or referrers");
            });
        }
        return sources;
    }

    private static List<String> verifyWith(JsonNode value) {
        List<String> keys = stringList("verify_with", value);
        return keys == null ? List.of() : keys; // checked by RemoteService, which can resolve trusted-key hrefs
    }

    private static String certificate(String pem) {
        if (pem == null) {
            return null;
        }
        try {
            if (CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).isEmpty()) {
                throw new CertificateException("no certificate found");
            }
        } catch (CertificateException e) {
            throw ApiException.field("ca_cert", "not a PEM certificate: " + e.getMessage());
        }
        return pem;
    }
}
