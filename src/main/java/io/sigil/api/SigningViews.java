package io.sigil.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.content.ContentType;
import io.sigil.signing.SignatureReports;
import java.util.List;
import java.util.Locale;

/** JSON shapes of the signature report of a repository version. */
final class SigningViews {

    private SigningViews() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TagReportView(String tag, String reference, ManifestReportView manifest, List<ManifestReportView> listedManifests) {
        static TagReportView of(SignatureReports.TagLine line) {
            return new TagReportView(line.tag(), line.reference(), ManifestReportView.of(line.manifest()),
                    line.children().stream().map(ManifestReportView::of).toList());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ManifestReportView(String pulpHref, String digest, List<SignatureReportView> signatures) {
        static ManifestReportView of(SignatureReports.ManifestLine line) {
            return new ManifestReportView(ContentType.MANIFEST.href(line.manifest()), line.digest(),
                    line.signatures().stream().map(SignatureReportView::of).toList());
        }
    }

    /** match: exact (this repository and tag), repository (same repository, other tag: a possible rollback) or other. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SignatureReportView(String pulpHref, String type, String dockerReference, String match,
                                      ContentViews.Verification verification) {
        static SignatureReportView of(SignatureReports.SignatureLine line) {
            return new SignatureReportView(ContentType.SIGNATURE.href(line.signature()), line.type(), line.dockerReference(),
                    line.match().name().toLowerCase(Locale.ROOT), ContentViews.Verification.of(line.verdict()));
        }
    }
}
