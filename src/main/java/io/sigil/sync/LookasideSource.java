package io.sigil.sync;

import io.sigil.signature.CosignSignatures;
import io.sigil.signature.SignatureFormatException;
import io.sigil.signature.SignatureIngest;
import io.sigil.storage.Digest;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * A sigstore lookaside store: {@code <sigstore>/<upstream_name>@sha256=<hex>/signature-<n>} for n = 1, 2, … until a
 * 404, fetched without registry credentials (signature-formats.md §2). Unlike Pulp, a body is capped at 4 MiB, the
 * walk stops after 128, and any other answer ends the walk as a reported problem instead of losing signatures
 * silently or crashing the sync.
 */
final class LookasideSource implements SignatureSource {

    static final int MAX_SIGNATURES = 128;
    static final int MAX_BYTES = SignatureIngest.MAX_SIGNATURE_BYTES;

    private final UpstreamHttp http;
    private final String base;

    LookasideSource(UpstreamHttp http, RemoteSettings remote) {
        this.http = http;
        this.base = remote.sigstore() + "/" + remote.upstreamName();
    }

    @Override
    public SourceKind kind() {
        return SourceKind.LOOKASIDE;
    }

    @Override
    public Findings find(Digest subject) {
        Findings findings = new Findings();
        String directory = base + "@" + subject.algorithm() + "=" + subject.hex();
        for (int n = 1; n <= MAX_SIGNATURES; n++) {
            URI uri = URI.create(directory + "/signature-" + n);
            try {
                UpstreamHttp.Answer answer = http.send("GET", uri, Map.of());
                if (answer.status() == 404) {
                    answer.discard();
                    return findings;
                }
                if (answer.status() != 200) {
                    answer.discard();
                    findings.problems.add("lookaside " + uri + " answered " + answer.status());
                    return findings;
                }
                add(findings, answer.read(MAX_BYTES, "lookaside signature " + uri), uri);
            } catch (UpstreamHttp.TooLarge e) {
                findings.problems.add(e.getMessage());
            } catch (IOException e) {
                findings.problems.add("lookaside " + uri + ": " + UpstreamHttp.describe(e));
                return findings;
            }
        }
        findings.problems.add("lookaside " + directory + " holds more than " + MAX_SIGNATURES + " signatures; the rest were not read");
        return findings;
    }

    /** Raw OpenPGP bytes are atomic signatures; {@code 0x00 sigstore-json} entries are cosign ones (§2). */
    private static void add(Findings findings, byte[] bytes, URI uri) {
        if (bytes.length > 0 && bytes[0] == 0) {
            try {
                findings.signatures.add(FoundSignature.cosign(SourceKind.LOOKASIDE, CosignSignatures.fromStorageForm(bytes), null));
            } catch (SignatureFormatException e) {
                findings.problems.add("lookaside " + uri + ": " + e.getMessage());
            }
            return;
        }
        findings.signatures.add(FoundSignature.atomic(SourceKind.LOOKASIDE, bytes));
    }
}
