package io.sigil.sync;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK HTTP client configured from a remote (TLS, proxy, timeouts), with retries: transient failures (connection
 * errors, timeouts, 429 and 5xx answers) are retried with exponential backoff before they count.
 */
final class UpstreamHttp {

    static final int ATTEMPTS = 4;
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);
    private static final long FIRST_BACKOFF_MILLIS = 100;

    private final HttpClient client;
    private final Duration requestTimeout;

    UpstreamHttp(RemoteSettings remote) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(remote.connectTimeout() == null ? Duration.ofSeconds(30) : remote.connectTimeout())
                .sslContext(sslContext(remote));
        if (remote.proxyUrl() != null) {
            URI proxy = URI.create(remote.proxyUrl());
            builder.proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), proxy.getPort() < 0 ? 80 : proxy.getPort())));
        }
        client = builder.build();
        requestTimeout = remote.totalTimeout() == null ? DEFAULT_REQUEST_TIMEOUT : remote.totalTimeout();
    }

    HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(requestTimeout);
    }

    /**
     * Sends with retries. A 429 or 5xx answer is retried and, once attempts run out, returned as it is; an
     * {@link IOException} that outlasts the attempts is thrown.
     */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        IOException last = null;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<T> response = client.send(request, handler);
                if (!isTransient(response.statusCode()) || attempt == ATTEMPTS) {
                    return response;
                }
                discard(response);
            } catch (IOException e) {
                last = e;
                if (attempt == ATTEMPTS) {
                    throw new IOException(request.method() + " " + request.uri() + " failed after " + ATTEMPTS
                            + " attempts: " + describe(last), last);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            backOff(attempt);
        }
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

    static void discard(HttpResponse<?> response) {
        if (response.body() instanceof InputStream in) {
            try (in) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                // the connection is dropped instead of reused; nothing else to do
            }
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
