package io.sigil.sync;

import io.sigil.storage.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Asks every source about one manifest and checks each signature found once (the same bytes from two sources count
 * once). Finding happens as soon as the manifest's digest is known; the report is written only for the manifests the
 * sync goes on to consider, so a tag dropped on the way leaves nothing in it.
 */
final class ManifestSignatures {

    private final SignatureChecker checker;
    private final SyncReport report;

    ManifestSignatures(SignatureChecker checker, SyncReport report) {
        this.checker = checker;
        this.report = report;
    }

    SyncPlanner.Signed of(Digest subject, List<SignatureSource> sources) throws IOException {
        Findings all = new Findings();
        for (SignatureSource source : sources) {
            all.addAll(source.find(subject));
        }
        List<SignatureChecker.Checked> checked = new ArrayList<>();
        Set<Digest> seen = new HashSet<>();
        for (FoundSignature found : all.signatures) {
            if (seen.add(identity(found))) {
                checked.add(checker.check(subject, found));
            }
        }
        return new SyncPlanner.Signed(checked, all.attachments, all.problems);
    }

    void report(Digest subject, SyncPlanner.Signed signed) {
        signed.problems().forEach(p -> report.problem(subject.toString(), p));
        signed.signatures().forEach(report::signature);
    }

    private static Digest identity(FoundSignature found) {
        return Digest.sha256Of(found.atomic() != null ? found.atomic()
                : io.sigil.signature.CosignSignatures.toStorageForm(found.cosign()));
    }
}
