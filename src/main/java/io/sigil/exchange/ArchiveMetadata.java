package io.sigil.exchange;

import io.sigil.content.ManifestParser;
import io.sigil.lifecycle.RevocationKey;
import io.sigil.signature.SignatureIngest;
import io.sigil.storage.Digest;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The records at the head of an archive, read and checked for consistency before anything is stored: the header
 * first (an unknown format version stops here), then every section, each under the metadata cap. Every unit a
 * repository names must have a record, and every record a well-formed digest.
 */
final class ArchiveMetadata {

    /** containers/image reads at most 4 MiB of signature; Sigil keeps no bigger one. */
    static final int MAX_SIGNATURE_BYTES = SignatureIngest.MAX_SIGNATURE_BYTES;
    private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern REPOSITORY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,254}");

    ArchiveHeader header;
    List<RepositoryRecord> repositories;
    final Map<String, BlobRecord> blobs = new LinkedHashMap<>();
    final Map<String, ManifestRecord> manifests = new LinkedHashMap<>();
    List<TagRecord> tags;
    /** Signatures by the digest of their bytes (one file may carry signatures of several manifests). */
    final Map<String, List<SignatureRecord>> signatures = new LinkedHashMap<>();
    /** The optional section of keys the exporting Sigil trusted; empty when absent. */
    List<TrustedKeyRecord> trustedKeys = List.of();
    /** The exporting Sigil's revocation list (optional section since format 1.1), checked; empty when absent. */
    List<ListedRevocation> revocations = List.of();
    /** The first entry after the metadata, still unread; null when there is none. */
    ArchiveReader.Entry firstContent;

    /** The sections this reader understands; they must all come before the content. */
    static final List<String> KNOWN_SECTIONS = List.of(ArchiveFormat.REPOSITORIES, ArchiveFormat.BLOBS,
            ArchiveFormat.MANIFESTS, ArchiveFormat.TAGS, ArchiveFormat.SIGNATURES, ArchiveFormat.TRUSTED_KEYS,
            ArchiveFormat.REVOCATIONS);

    /** A revocation of the archive, its key checked as {@link RevocationKey#listed} checks it. */
    record ListedRevocation(RevocationKey key, RevocationRecord record, OffsetDateTime revokedAt) {
    }

    static ArchiveMetadata read(ArchiveReader reader) throws IOException {
        ArchiveMetadata metadata = new ArchiveMetadata();
        ArchiveReader.Entry entry = reader.next();
        if (entry == null || !entry.path().equals(ArchiveFormat.HEADER)) {
            throw new HostileArchiveException("the archive does not start with " + ArchiveFormat.HEADER);
        }
        metadata.header = ArchiveJson.read(reader.readMetadata(entry), ArchiveHeader.class, ArchiveFormat.HEADER);
        ArchiveReader.requireFormat(metadata.header.format(), metadata.header.formatVersion(), ArchiveFormat.HEADER);
        Map<String, byte[]> sections = new HashMap<>();
        for (entry = reader.next(); entry != null && isHeadEntry(entry.path()); entry = reader.next()) {
            if (isKnownSection(entry.path())) {
                sections.put(entry.path(), reader.readMetadata(entry));
            } // unknown optional sections of later 1.x versions, and the OCI layout files, are skipped
        }
        metadata.firstContent = entry;
        metadata.parse(sections);
        metadata.validate();
        return metadata;
    }

    private static boolean isHeadEntry(String path) {
        return (path.startsWith("sigil/") && path.endsWith(".json")) || path.equals(ArchiveFormat.OCI_LAYOUT)
                || path.equals(ArchiveFormat.OCI_INDEX);
    }

    static boolean isKnownSection(String path) {
        return KNOWN_SECTIONS.contains(path);
    }

    private void parse(Map<String, byte[]> sections) {
        if (sections.containsKey(ArchiveFormat.TRUSTED_KEYS)) {
            trustedKeys = ArchiveJson.readList(sections.get(ArchiveFormat.TRUSTED_KEYS), TrustedKeyRecord.class,
                    ArchiveFormat.TRUSTED_KEYS);
        }
        if (sections.containsKey(ArchiveFormat.REVOCATIONS)) {
            revocations = ArchiveJson.readList(sections.get(ArchiveFormat.REVOCATIONS), RevocationRecord.class,
                    ArchiveFormat.REVOCATIONS).stream().map(ArchiveMetadata::listed).toList();
        }
        repositories = ArchiveJson.readList(section(sections, ArchiveFormat.REPOSITORIES), RepositoryRecord.class,
                ArchiveFormat.REPOSITORIES);
        for (BlobRecord b : ArchiveJson.readList(section(sections, ArchiveFormat.BLOBS), BlobRecord.class, ArchiveFormat.BLOBS)) {
            requireUnique(blobs.put(digest(b.digest(), "blob"), b), "blob " + b.digest());
        }
        for (ManifestRecord m : ArchiveJson.readList(section(sections, ArchiveFormat.MANIFESTS), ManifestRecord.class,
                ArchiveFormat.MANIFESTS)) {
            requireUnique(manifests.put(digest(m.digest(), "manifest"), m), "manifest " + m.digest());
        }
        tags = ArchiveJson.readList(section(sections, ArchiveFormat.TAGS), TagRecord.class, ArchiveFormat.TAGS);
        for (SignatureRecord s : ArchiveJson.readList(section(sections, ArchiveFormat.SIGNATURES), SignatureRecord.class,
                ArchiveFormat.SIGNATURES)) {
            signatures.computeIfAbsent(digest(s.digest(), "signature"), k -> new java.util.ArrayList<>()).add(s);
        }
    }

    private static ListedRevocation listed(RevocationRecord r) {
        String where = ArchiveFormat.REVOCATIONS + ": key " + r.identity();
        if (r.reason() == null || r.reason().isBlank()) {
            throw new HostileArchiveException(where + " has no reason");
        }
        try {
            return new ListedRevocation(RevocationKey.listed(r.type(), r.identity(), r.keys(), r.publicKey()), r,
                    OffsetDateTime.parse(String.valueOf(r.revokedAt())));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new HostileArchiveException(where + " is not valid: " + e.getMessage());
        }
    }

    private static byte[] section(Map<String, byte[]> sections, String path) {
        byte[] bytes = sections.get(path);
        if (bytes == null) {
            throw new HostileArchiveException("the archive lacks " + path + " before its content");
        }
        return bytes;
    }

    private void validate() {
        blobs.values().forEach(b -> requireSize(b.size(), Long.MAX_VALUE, "blob " + b.digest()));
        manifests.values().forEach(m -> requireSize(m.size(), ManifestParser.MAX_MANIFEST_BYTES, "manifest " + m.digest()));
        Set<List<String>> tagKeys = new HashSet<>();
        for (TagRecord t : tags) {
            if (t.name() == null || !TAG_NAME.matcher(t.name()).matches()) {
                throw new HostileArchiveException("tag name '" + t.name() + "' is invalid");
            }
            requireRecord(manifests, t.manifest(), "tag " + t.name());
            requireUnique(tagKeys.add(List.of(t.name(), t.manifest())) ? null : t, "tag " + t.name());
        }
        Set<RepositoryRecord.SignatureKey> signatureKeys = new HashSet<>();
        for (List<SignatureRecord> sameBytes : signatures.values()) {
            for (SignatureRecord s : sameBytes) {
                requireRecord(manifests, s.signedDigest(), "signature " + s.digest());
                requireSize(s.size(), MAX_SIGNATURE_BYTES, "signature " + s.digest());
                requireUnique(signatureKeys.add(new RepositoryRecord.SignatureKey(s.signedDigest(), s.digest())) ? null : s,
                        "signature " + s.digest() + " of " + s.signedDigest());
            }
        }
        Set<String> names = new HashSet<>();
        for (RepositoryRecord r : repositories) {
            if (r.name() == null || !REPOSITORY_NAME.matcher(r.name()).matches() || !names.add(r.name())) {
                throw new HostileArchiveException("repository name '" + r.name() + "' is invalid or repeated");
            }
            validateMembers(r, new HashSet<>(tags), signatureKeys);
        }
    }

    private void validateMembers(RepositoryRecord r, Set<TagRecord> knownTags, Set<RepositoryRecord.SignatureKey> knownSignatures) {
        String where = "repository " + r.name();
        if (r.blobs() == null || r.manifests() == null || r.tags() == null || r.signatures() == null) {
            throw new HostileArchiveException(where + " must list blobs, manifests, tags and signatures");
        }
        r.blobs().forEach(d -> requireRecord(blobs, d, where));
        r.manifests().forEach(d -> requireRecord(manifests, d, where));
        r.tags().forEach(t -> {
            if (!knownTags.contains(t)) {
                throw new HostileArchiveException(where + " holds tag " + t.name() + " that " + ArchiveFormat.TAGS + " lacks");
            }
        });
        r.signatures().forEach(k -> {
            if (!knownSignatures.contains(k)) {
                throw new HostileArchiveException(where + " holds signature " + k.digest() + " that "
                        + ArchiveFormat.SIGNATURES + " lacks");
            }
        });
    }

    private static String digest(String text, String what) {
        if (text == null || !Digest.isValid(text)) {
            throw new HostileArchiveException(what + " digest '" + text + "' is not a sha256 digest");
        }
        return text;
    }

    private static void requireRecord(Map<String, ?> records, String digest, String where) {
        if (digest == null || !records.containsKey(digest)) {
            throw new HostileArchiveException(where + " refers to " + digest + ", which the archive does not describe");
        }
    }

    private static void requireSize(long size, long max, String what) {
        if (size < 0 || size > max) {
            throw new HostileArchiveException(what + " has an impossible size " + size);
        }
    }

    private static void requireUnique(Object previous, String what) {
        if (previous != null) {
            throw new HostileArchiveException(what + " is described twice");
        }
    }

    /** The archive paths whose bytes the records say travel in this archive. */
    Set<String> includedPaths() {
        Set<String> paths = new HashSet<>();
        blobs.values().stream().filter(BlobRecord::included).forEach(b -> paths.add(ArchiveFormat.blobPath(b.digest())));
        manifests.values().stream().filter(ManifestRecord::included).forEach(m -> paths.add(ArchiveFormat.blobPath(m.digest())));
        signatures.values().stream().flatMap(List::stream).filter(SignatureRecord::included)
                .forEach(s -> paths.add(ArchiveFormat.signaturePath(s.digest())));
        return paths;
    }
}
