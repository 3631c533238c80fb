package io.sigil.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.content.ManifestParser;
import io.sigil.storage.BlobStore;
import io.sigil.storage.BlobUpload;
import io.sigil.storage.Digest;
import io.sigil.storage.DigestMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few calls of the registry API a sync makes (distribution-spec v1.1), for one upstream repository. It answers a
 * Bearer challenge with the Docker token flow (Basic credentials at the token endpoint), and a Basic challenge with
 * the credentials themselves.
 */
final class RegistryClient {

    static final String MANIFEST_ACCEPT = String.join(", ", "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What GET /v2/ says about the upstream. */
    record Ping(int status, boolean signatureExtension) {
    }

    /** A manifest's digest and media type as HEAD reports them. */
    record Head(Digest digest, String mediaType) {
    }

    /** A manifest's exact bytes, checked against the digest asked for or reported. */
    record Fetched(Digest digest, String mediaType, byte[] bytes) {
    }

    private final UpstreamHttp http;
    private final RemoteSettings remote;
    private final String repositoryPath;
    private volatile String authorization;

    RegistryClient(UpstreamHttp http, RemoteSettings remote) {
        this.http = http;
        this.remote = remote;
        this.repositoryPath = remote.url() + "/v2/" + remote.upstreamName();
    }

    /** GET /v2/ without credentials: the extension header is read even from a 401 (signature-formats.md §3). */
    Ping ping() throws IOException {
        UpstreamHttp.Answer answer = http.send("GET", URI.create(remote.url() + "/v2/"), Map.of());
        answer.discard();
        return new Ping(answer.status(), "1".equals(answer.header("X-Registry-Supports-Signatures").orElse(null)));
    }

    /** Every tag, following {@code Link} pages; upstreams that ignore {@code n} simply answer with one page. */
    List<String> tags() throws IOException {
        List<String> tags = new ArrayList<>();
        URI next = URI.create(repositoryPath + "/tags/list?n=1000");
        List<URI> seen = new ArrayList<>();
        while (next != null && !seen.contains(next)) {
            seen.add(next);
            UpstreamHttp.Answer answer = call("GET", next, null);
            requireOk(answer, "listing tags of " + remote.upstreamName());
            JsonNode page = JSON.readTree(answer.read(64L << 20, "tag list"));
            page.path("tags").forEach(t -> tags.add(t.asText()));
            URI current = next;
            next = answer.header("Link").map(NEXT_LINK::matcher).filter(Matcher::find)
                    .map(m -> current.resolve(m.group(1))).orElse(null);
        }
        return tags;
    }

    /** HEAD of a manifest by tag or digest; empty when the upstream does not have it. */
    Optional<Head> head(String reference) throws IOException {
        UpstreamHttp.Answer answer = call("HEAD", manifestUri(reference), MANIFEST_ACCEPT);
        answer.discard();
        if (answer.status() == 404) {
            return Optional.empty();
        }
        requireOk(answer, "HEAD manifest " + reference);
        Optional<String> digest = answer.header("Docker-Content-Digest");
        if (digest.isEmpty()) {
            return manifest(reference).map(f -> new Head(f.digest(), f.mediaType()));
        }
        return Optional.of(new Head(Digest.parse(digest.get()), contentType(answer)));
    }

    /** GET of a manifest; by digest the bytes must hash to it, by tag to the digest the upstream reports. */
    Optional<Fetched> manifest(String reference) throws IOException {
        UpstreamHttp.Answer answer = call("GET", manifestUri(reference), MANIFEST_ACCEPT);
        if (answer.status() == 404) {
            answer.discard();
            return Optional.empty();
        }
        requireOk(answer, "GET manifest " + reference);
        byte[] bytes = answer.read(ManifestParser.MAX_MANIFEST_BYTES, "manifest " + reference);
        Digest actual = Digest.sha256Of(bytes);
        String expected = Digest.isValid(reference) ? reference : answer.header("Docker-Content-Digest").orElse(null);
        if (expected != null && !expected.equals(actual.toString())) {
            throw new UpstreamException(0, "digest mismatch: manifest " + reference + " of " + remote.upstreamName()
                    + " hashes to " + actual + ", not " + expected);
        }
        return Optional.of(new Fetched(actual, contentType(answer), bytes));
    }

    /** Streams a blob into storage, verified against its digest and size; a broken stream is fetched again. */
    void blob(Digest digest, long size, BlobStore store) throws IOException {
        for (int attempt = 1; ; attempt++) {
            UpstreamHttp.Answer answer = call("GET", URI.create(repositoryPath + "/blobs/" + digest), null);
            requireOk(answer, "GET blob " + digest);
            try (answer; InputStream body = answer.body(); BlobUpload upload = store.beginUpload()) {
                upload.write(body);
                upload.commit(digest, size);
                return;
            } catch (DigestMismatchException e) {
                throw new UpstreamException(0, "digest mismatch: blob " + digest + " of " + remote.upstreamName()
                        + ": " + e.getMessage());
            } catch (IOException e) {
                if (attempt == UpstreamHttp.ATTEMPTS) {
                    throw new IOException("GET blob " + digest + " failed after " + attempt + " attempts: "
                            + UpstreamHttp.describe(e), e);
                }
                UpstreamHttp.backOff(attempt);
            }
        }
    }

    /** A small blob in memory (signature payloads, at most {@code max} bytes), checked against its digest. */
    byte[] smallBlob(Digest digest, long max) throws IOException {
        UpstreamHttp.Answer answer = call("GET", URI.create(repositoryPath + "/blobs/" + digest), null);
        requireOk(answer, "GET blob " + digest);
        byte[] bytes = answer.read(max, "blob " + digest);
        if (!Digest.sha256Of(bytes).equals(digest)) {
            throw new UpstreamException(0, "digest mismatch: blob " + digest + " of " + remote.upstreamName());
        }
        return bytes;
    }

    /** GET under the repository (referrers, extension paths); the caller reads or discards the body. */
    UpstreamHttp.Answer get(String pathUnderV2, String accept) throws IOException {
        return call("GET", URI.create(remote.url() + pathUnderV2), accept);
    }

    String repositoryPath() {
        return repositoryPath;
    }

    static void requireOk(UpstreamHttp.Answer answer, String what) throws UpstreamException {
        if (answer.status() != 200) {
            answer.discard();
            throw new UpstreamException(answer.status(), what + ": upstream answered " + answer.status());
        }
    }

    private URI manifestUri(String reference) {
        return URI.create(repositoryPath + "/manifests/" + reference);
    }

    private static String contentType(UpstreamHttp.Answer answer) {
        return answer.header("Content-Type").map(t -> t.split(";")[0].trim()).orElse(null);
    }

    /** Sends with the current credentials; on a 401 challenge, obtains new ones once and sends again. */
    private UpstreamHttp.Answer call(String method, URI uri, String accept) throws IOException {
        UpstreamHttp.Answer answer = http.send(method, uri, headers(accept));
        if (answer.status() != 401) {
            return answer;
        }
        answer.discard();
        authorization = answer(answer.header("WWW-Authenticate").orElse(""));
        answer = http.send(method, uri, headers(accept));
        if (answer.status() == 401) {
            answer.discard();
            throw new UpstreamException(401, method + " " + uri + ": the upstream refused the credentials of remote "
                    + remote.name());
        }
        return answer;
    }

    private Map<String, String> headers(String accept) {
        Map<String, String> headers = new HashMap<>(2);
        if (accept != null) {
            headers.put("Accept", accept);
        }
        String current = authorization;
        if (current != null) {
            headers.put("Authorization", current);
        }
        return headers;
    }

    private String answer(String challenge) throws IOException {
        String scheme = challenge.split(" ", 2)[0];
        if (scheme.equalsIgnoreCase("Basic")) {
            if (!hasCredentials()) {
                throw new UpstreamException(401, "the upstream asks for credentials and remote " + remote.name()
                        + " has none (a password is cleared when the remote's url moves to another server)");
            }
            return basicCredentials();
        }
        if (!scheme.equalsIgnoreCase("Bearer")) {
            throw new UpstreamException(401, "unsupported authentication challenge: " + challenge);
        }
        return "Bearer " + token(challenge);
    }

    private String token(String challenge) throws IOException {
        String realm = null;
        StringBuilder query = new StringBuilder();
        boolean scoped = false;
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            if (m.group(1).equals("realm")) {
                realm = m.group(2);
            } else {
                scoped |= m.group(1).equals("scope");
                query.append(query.length() == 0 ? "" : "&").append(m.group(1)).append('=').append(encode(m.group(2)));
            }
        }
        if (realm == null) {
            throw new UpstreamException(401, "Bearer challenge without a realm: " + challenge);
        }
        if (!scoped) {
            query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode("repository:" + remote.upstreamName() + ":pull"));
        }
        Map<String, String> headers = !hasCredentials() ? Map.of() : Map.of("Authorization", basicCredentials());
        UpstreamHttp.Answer answer = http.send("GET", URI.create(realm + (realm.contains("?") ? "&" : "?") + query), headers);
        requireOk(answer, "token request to " + realm);
        JsonNode body = JSON.readTree(answer.read(1 << 20, "token response"));
        String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText(null);
        if (token == null) {
            throw new UpstreamException(0, "the token endpoint " + realm + " answered without a token");
        }
        return token;
    }

    /** A username alone is sent nowhere: it is half of credentials whose password was cleared or never given. */
    private boolean hasCredentials() {
        return remote.username() != null && remote.password() != null;
    }

    private String basicCredentials() {
        String pair = remote.username() + ":" + remote.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
