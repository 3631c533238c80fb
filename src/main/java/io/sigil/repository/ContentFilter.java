package io.sigil.repository;

import io.sigil.content.ContentType;
import java.util.List;

/**
 * Filters of a content listing, as query parameters name them. Null means "not filtered". Version filters name
 * versions by (repository, number). {@code verified} asks for signatures with (or without) a valid verdict, and
 * manifests with (or without) at least one such signature; {@code verifiedBy} narrows "valid" to one trusted key
 * fingerprint.
 */
public record ContentFilter(
        ContentType type,
        Hrefs.VersionRef repositoryVersion,
        Hrefs.VersionRef versionAdded,
        Hrefs.VersionRef versionRemoved,
        List<String> digests,
        String mediaType,
        String kind,
        List<String> names,
        String manifestDigest,
        Boolean signed,
        String keyId,
        String signatureType,
        Boolean verified,
        String verifiedBy) {

    public static ContentFilter of(ContentType type) {
        return new ContentFilter(type, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public ContentFilter inVersion(Hrefs.VersionRef version) {
        return new ContentFilter(type, version, versionAdded, versionRemoved, digests, mediaType, kind, names,
                manifestDigest, signed, keyId, signatureType, verified, verifiedBy);
    }
}
