package io.sigil.sync;

import io.sigil.storage.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Asks every source about one manifest and checks each signature found once (the same bytes from two sources count once). */
final class ManifestSignatures {

    private final SignatureChecker checker;
    private final SyncReport report;

    ManifestSignatures(SignatureChecker checker, SyncReport report) {
        this.checker = checker;
        this.report = report;
    }

    SyncPlanner.Signed of(UpstreamManifest manifest, List<SignatureSource> sources) throws IOException {
        Findings all = new Findings();
        for (SignatureSource source : sources) {
            all.addAll(source.find(manifest));
        }
        all.problems.forEach(p -> report.problem(manifest.digest().toString(), p));
        List<SignatureChecker.Checked> checked = new ArrayList<>();
        Set<Digest> seen = new HashSet<>();
        for (FoundSignature found : all.signatures) {
            if (seen.add(identity(found))) {
                SignatureChecker.Checked result = checker.check(manifest.digest(), found);
                report.signature(result);
                checked.add(result);
            }
        }
        return new SyncPlanner.Signed(checked, all.attachments);
    }

    private static Digest identity(FoundSignature found) {
        return Digest.sha256Of(found.atomic() != null ? found.atomic()
                : io.sigil.signing.CosignSignatures.toStorageForm(found.cosign()));
    }
}
