package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.common.Prn;
import io.sigil.sync.Remote;
import java.time.OffsetDateTime;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** JSON shapes of container remotes. Credentials are write-only: a view only says whether they are set. */
final class RemoteViews {

    private RemoteViews() {
    }

    /** The fields a create or update may carry (documentation of the body; updates may carry any subset). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RemoteRequest(@Size(min = 1, max = 255, message = "Ensure this field has 1 to {max} characters.") String name,
                         @Size(max = 2048, message = "Ensure this field has no more than {max} characters.") String url,
                         @Size(max = 255, message = "Ensure this field has no more than {max} characters.") String upstreamName,
                         List<String> includeTags,
                         List<String> excludeTags, String username, String password, Boolean tlsValidation,
                         String caCert, String proxyUrl, Double connectTimeout, Double totalTimeout,
                         Integer downloadConcurrency, String sigstore, List<String> signatureSources, Boolean signedOnly,
                         List<String> verifyWith, Boolean preserveSignatures, List<String> referrerTypes,
                         Map<String, String> pulpLabels) {
    }

    record HiddenField(String name, boolean is_set) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RemoteView(String pulpHref, String prn, OffsetDateTime pulpCreated, OffsetDateTime pulpLastUpdated, String name,
                      String url, String upstreamName, List<String> includeTags, List<String> excludeTags,
                      boolean tlsValidation, String caCert, String proxyUrl, Double connectTimeout, Double totalTimeout,
                      int downloadConcurrency, String sigstore, List<String> signatureSources, boolean signedOnly,
                      List<String> verifyWith, boolean preserveSignatures, List<String> referrerTypes,
                      List<HiddenField> hiddenFields, String pulpType, Map<String, String> pulpLabels) {
    }

    static RemoteView of(Remote r) {
        return new RemoteView(r.href(), Prn.of(Prn.REMOTE, r.pulpId), r.pulpCreated, r.pulpLastUpdated, r.name, r.url, r.upstreamName, r.includeTags,
                r.excludeTags, r.tlsValidation, r.caCert, r.proxyUrl, r.connectTimeout, r.totalTimeout,
                r.downloadConcurrency, r.sigstore, r.signatureSources, r.signedOnly, r.verifyWith, r.preserveSignatures,
                r.referrerTypes, List.of(new HiddenField("username", r.username != null),
                        new HiddenField("password", r.hasPassword())), "container.container", r.pulpLabels);
    }
}
