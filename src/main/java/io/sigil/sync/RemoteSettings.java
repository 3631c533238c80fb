package io.sigil.sync;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** A remote as a sync task sees it: read once at the start, immutable, with its keys parsed. */
public record RemoteSettings(UUID id, String name, String url, String upstreamName, List<String> includeTags,
                             List<String> excludeTags, String username, String password, boolean tlsValidation,
                             String caCert, String proxyUrl, Duration connectTimeout, Duration totalTimeout,
                             int downloadConcurrency, String sigstore, Set<SourceKind> wantedSources,
                             boolean signedOnly, VerifyKeys verifyKeys, boolean preserveSignatures,
                             List<String> referrerTypes) {

    static RemoteSettings of(Remote r, java.util.function.Function<String, io.sigil.signature.TrustedKey> trustedKeys,
                             String password) {
        Set<SourceKind> sources = EnumSet.allOf(SourceKind.class);
        if (r.signatureSources != null) {
            sources = EnumSet.noneOf(SourceKind.class);
            for (String s : r.signatureSources) {
                sources.add(SourceKind.of(s).orElseThrow());
            }
        }
        return new RemoteSettings(r.pulpId, r.name, r.url, r.upstreamName, r.includeTags, r.excludeTags, r.username,
                password, r.tlsValidation, r.caCert, r.proxyUrl, seconds(r.connectTimeout), seconds(r.totalTimeout),
                r.downloadConcurrency, r.sigstore, Set.copyOf(sources), r.signedOnly, VerifyKeys.parse(r.verifyWith, trustedKeys),
                r.preserveSignatures, r.referrerTypes);
    }

    private static Duration seconds(Double value) {
        return value == null ? null : Duration.ofMillis(Math.round(value * 1000));
    }

    /** Whether referrers of this artifact type are wanted (all when no list is set). */
    boolean wantsReferrer(String artifactType) {
        return referrerTypes == null || referrerTypes.contains(artifactType);
    }

    /** The host (and port) image references use for the upstream; Docker Hub's API host is docker.io. */
    String referenceHost() {
        String authority = java.net.URI.create(url).getAuthority();
        return authority.equals("registry-1.docker.io") || authority.equals("index.docker.io") ? "docker.io" : authority;
    }
}
