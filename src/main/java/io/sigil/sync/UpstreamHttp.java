package io.sigil.sync;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * Apache HttpClient (classic, blocking: a request costs a third of the JDK client's CPU, which is most of a re-sync's)
 * configured from a remote (TLS, proxy, timeouts), with retries: transient failures (connection errors, timeouts, 429
 * and 5xx answers) are retried with exponential backoff before they count. Redirects are followed here, not by the
 * library, so that credentials never go to another origin (a registry sending blobs to a signed storage URL).
 */
final class UpstreamHttp implements AutoCloseable {

    static final int ATTEMPTS = 4;
    private static final int MAX_REDIRECTS = 10;
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);
    private static final long FIRST_BACKOFF_MILLIS = 100;

    /** One answer: the caller reads its body and closes it, or discards it, so that the connection is reused. */
    static final class Answer implements Closeable {
        private final ClassicHttpResponse response;

        private Answer(ClassicHttpResponse response) {
            this.response = response;
        }

        int status() {
            return response.getCode();
        }

        Optional<String> header(String name) {
            Header header = response.getFirstHeader(name);
            return header == null ? Optional.empty() : Optional.of(header.getValue());
        }

        InputStream body() throws IOException {
            HttpEntity entity = response.getEntity();
            return entity == null ? InputStream.nullInputStream() : entity.getContent();
        }

        /** The body, at most {@code max} bytes (more is an error, never a silent truncation); closes the answer. */
        byte[] read(long max, String what) throws IOException {
            try (this) {
                return readBounded(body(), max, what);
            }
        }

        /** Reads what is left of the body so that the connection goes back to the pool; failures only lose it. */
        void discard() {
            try (this) {
                EntityUtils.consume(response.getEntity());
            } catch (IOException e) {
                // the connection is dropped instead of reused; nothing else to do
            }
        }

        @Override
        public void close() throws IOException {
            response.close();
        }
    }

    private final CloseableHttpClient client;
    private final OutboundAddresses addresses;

    UpstreamHttp(RemoteSettings remote, OutboundAddresses addresses) {
        this.addresses = addresses;
        Duration connect = remote.connectTimeout() == null ? Duration.ofSeconds(30) : remote.connectTimeout();
        Duration total = remote.totalTimeout() == null ? DEFAULT_REQUEST_TIMEOUT : remote.totalTimeout();
        int connections = Math.max(remote.downloadConcurrency(), 1) * 2;
        var connectionManager = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(addresses.dnsResolver())
                .setTlsSocketStrategy(remote.tlsValidation()
                        ? new DefaultClientTlsStrategy(sslContext(remote))
                        : new DefaultClientTlsStrategy(sslContext(remote), HostnameVerificationPolicy.CLIENT, NoopHostnameVerifier.INSTANCE))
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(connect))
                        .setSocketTimeout(Timeout.of(total)).build())
                .setMaxConnPerRoute(connections).setMaxConnTotal(connections * 2).build();
        var builder = HttpClients.custom().setConnectionManager(connectionManager)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(total)).build())
                .disableRedirectHandling().disableAutomaticRetries().disableContentCompression()
                .disableCookieManagement().disableAuthCaching().setUserAgent("sigil");
        if (remote.proxyUrl() != null) {
            URI proxy = URI.create(remote.proxyUrl());
            builder.setProxy(new HttpHost(proxy.getScheme() == null ? "http" : proxy.getScheme(), proxy.getHost(),
                    proxy.getPort() < 0 ? 80 : proxy.getPort()));
        }
        client = builder.build();
    }

    /**
     * Sends with retries and follows redirects. A 429 or 5xx answer is retried and, once attempts run out, returned
     * as it is; an {@link IOException} that outlasts the attempts is thrown.
     */
    Answer send(String method, URI uri, Map<String, String> headers) throws IOException {
        IOException last = null;
        for (int attempt = 1; ; attempt++) {
            try {
                Answer answer = following(method, uri, headers);
                if (!isTransient(answer.status()) || attempt == ATTEMPTS) {
                    return answer;
                }
                answer.discard();
            } catch (OutboundAddresses.RefusedAddressException e) {
                throw e; // a refusal, not a failure: asking again changes nothing
            } catch (IOException e) {
                last = e;
                if (attempt == ATTEMPTS) {
                    throw new IOException(method + " " + uri + " failed after " + ATTEMPTS + " attempts: "
                            + describe(last), last);
                }
            }
            backOff(attempt);
        }
    }

    /**
     * Follows redirects (a 303 turns into GET); an Authorization header is only sent to the origin it was meant for.
     * Each hop's address is checked before anything connects to it (through a proxy, only this check sees the target).
     */
    private Answer following(String method, URI uri, Map<String, String> headers) throws IOException {
        URI current = uri;
        String currentMethod = method;
        for (int hop = 0; ; hop++) {
            addresses.requireAllowed(current);
            HttpUriRequestBase request = new HttpUriRequestBase(currentMethod, current);
            boolean sameOrigin = sameOrigin(uri, current);
            headers.forEach((name, value) -> {
                if (sameOrigin || !name.equalsIgnoreCase("Authorization")) {
                    request.setHeader(name, value);
                }
            });
            Answer answer = new Answer(client.executeOpen(null, request, null));
            Optional<String> location = answer.header("Location");
            if (!isRedirect(answer.status()) || location.isEmpty()) {
                return answer;
            }
            answer.discard();
            if (hop == MAX_REDIRECTS) {
                throw new IOException(method + " " + uri + ": more than " + MAX_REDIRECTS + " redirects");
            }
            current = current.resolve(location.get());
            currentMethod = answer.status() == 303 && !currentMethod.equals("HEAD") ? "GET" : currentMethod;
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && a.getPort() == b.getPort();
    }

    static boolean isTransient(int status) {
        return status == 429 || status >= 500;
    }

    static void backOff(int attempt) throws IOException {
        long millis = FIRST_BACKOFF_MILLIS << (attempt - 1);
        try {
            Thread.sleep(millis + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public void close() {
        client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
    }

    /** Reads a body of at most {@code max} bytes; more is an error, never a silent truncation. */
    static byte[] readBounded(InputStream body, long max, String what) throws IOException {
        try (InputStream in = body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16384];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > max) {
                    throw new TooLarge(what + " is larger than " + max + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** A body over its limit: the answer was read, the connection is fine, only that item is refused. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private static SSLContext sslContext(RemoteSettings remote) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (!remote.tlsValidation()) {
                context.init(null, new TrustManager[] {new TrustingEverything()}, null);
            } else if (remote.caCert() != null) {
                context.init(null, trustOnly(remote.caCert()), null);
            } else {
                return SSLContext.getDefault();
            }
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS for remote " + remote.name() + ": " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustOnly(String pem) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    /** tls_validation=false: an extended trust manager that checks nothing also skips the host name check. */
    private static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
