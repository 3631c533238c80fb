package io.sigil.testing;

import io.sigil.storage.S3Settings;
import java.net.URI;
import java.util.Optional;

/** {@link S3Settings} for the test S3 server, built without a Quarkus configuration. */
record TestS3Settings(URI server) implements S3Settings {

    static S3Settings of(URI endpoint) {
        return new TestS3Settings(endpoint);
    }

    @Override
    public Optional<String> bucket() {
        return Optional.of(S3ProxyServer.BUCKET);
    }

    @Override
    public Optional<String> prefix() {
        return Optional.empty();
    }

    @Override
    public Optional<URI> endpoint() {
        return Optional.of(server);
    }

    @Override
    public String region() {
        return "us-east-1";
    }

    @Override
    public boolean pathStyle() {
        return true;
    }

    @Override
    public Optional<String> accessKeyId() {
        return Optional.of(S3ProxyServer.ACCESS_KEY);
    }

    @Override
    public Optional<String> secretAccessKey() {
        return Optional.of(S3ProxyServer.SECRET_KEY);
    }

    @Override
    public int partSize() {
        return 5 * 1024 * 1024;
    }
}
