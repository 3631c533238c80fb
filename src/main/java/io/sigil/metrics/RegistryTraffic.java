package io.sigil.metrics;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the body bytes of successful blob and manifest GETs on {@code /v2/} as they are actually written (sendfile
 * included), at the HTTP layer, so the registry code carries no instrumentation.
 */
@ApplicationScoped
public class RegistryTraffic {

    private static final Pattern CONTENT = Pattern.compile("/v2/.+/(blobs|manifests)/[^/]+");

    @Inject
    SigilMetrics metrics;

    void observe(@Observes Router router) {
        router.route("/v2/*").order(-1000).handler(ctx -> {
            Matcher m = CONTENT.matcher(ctx.request().path());
            if (ctx.request().method() == HttpMethod.GET && m.matches()) {
                String kind = m.group(1).equals("blobs") ? "blob" : "manifest";
                ctx.addBodyEndHandler(done -> {
                    int status = ctx.response().getStatusCode();
                    if (status == 200 || status == 206) {
                        metrics.registryBytesServed(kind, ctx.response().bytesWritten());
                    }
                });
            }
            ctx.next();
        });
    }
}
