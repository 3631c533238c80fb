package io.sigil.testing;

import io.sigil.storage.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Pushes raw blobs and manifests to a plain-HTTP registry (distribution-spec monolithic upload), for content skopeo
 * does not make: cosign {@code .sig} manifests, referrer artifacts, fallback tag indexes.
 */
public final class RegistryUploader {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;

    public RegistryUploader(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String blob(String repository, byte[] bytes) {
        String digest = Digest.sha256Of(bytes).toString();
        HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), 202);
        String location = started.headers().firstValue("Location").orElseThrow();
        URI upload = URI.create(baseUrl).resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        send(HttpRequest.newBuilder(upload).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), 201);
        return digest;
    }

    public String manifest(String repository, String reference, String mediaType, byte[] bytes) {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), 201);
        return Digest.sha256Of(bytes).toString();
    }

    private HttpResponse<String> send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new AssertionError(request.method() + " " + request.uri() + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
