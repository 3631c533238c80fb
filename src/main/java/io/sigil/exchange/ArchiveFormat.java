package io.sigil.exchange;

import java.util.regex.Pattern;

/**
 * The layout of a Sigil export archive, format 1.1 (1.0 plus the revocation list). The tar is laid out so that, unpacked (or read by
 * {@code skopeo copy oci-archive:…}), it is also an OCI image layout when the export asked for one:
 *
 * <pre>
 * sigil/export.json                  ArchiveHeader: format name and version first, then what the archive holds
 * sigil/repositories.json            RepositoryRecord per exported version: every unit it holds, by natural key
 * sigil/blobs.json                   BlobRecord per blob of those versions
 * sigil/manifests.json               ManifestRecord per manifest, children before the lists that name them
 * sigil/tags.json                    TagRecord per tag
 * sigil/signatures.json              SignatureRecord per signature, every format (atomic, cosign, ...), with verdict
 * sigil/trusted-keys.json            optional: TrustedKeyRecord per key the exporting Sigil trusts
 * sigil/revocations.json             optional, since 1.1: RevocationRecord per key on the exporting Sigil's revocation
 *                                    list; an import lists them before it ingests any signature
 * oci-layout, index.json             only with oci_layout: the OCI layout marker and index of every tag
 * blobs/sha256/&lt;hex&gt;                blob bytes, then manifest bytes in the order of manifests.json
 * sigil/signatures/sha256/&lt;hex&gt;     raw signature bytes, named by their sha256
 * lookaside/&lt;repo&gt;@sha256=&lt;hex&gt;/signature-&lt;n&gt;   only with oci_layout: atomic signatures for containers/image
 * </pre>
 *
 * Incremental archives hold the bytes of new units only (records say {@code included: false} for the rest), while
 * the records still describe the full versions. Minor versions (1.x) may add optional sections that an older 1.x
 * reader skips (a 1.0 reader ignores {@code sigil/revocations.json}); a 1.0 archive, without them, still imports. A new
 * major version is refused.
 */
public final class ArchiveFormat {

    public static final String NAME = "sigil-export";
    public static final String VERSION = "1.1";

    public static final String HEADER = "sigil/export.json";
    public static final String REPOSITORIES = "sigil/repositories.json";
    public static final String BLOBS = "sigil/blobs.json";
    public static final String MANIFESTS = "sigil/manifests.json";
    public static final String TAGS = "sigil/tags.json";
    public static final String SIGNATURES = "sigil/signatures.json";
    /** Optional (format 1.0): the exporting Sigil's trusted public keys. */
    public static final String TRUSTED_KEYS = "sigil/trusted-keys.json";
    /** Optional (since 1.1): the exporting Sigil's revocation list. */
    public static final String REVOCATIONS = "sigil/revocations.json";
    public static final String OCI_LAYOUT = "oci-layout";
    public static final String OCI_INDEX = "index.json";
    public static final String BLOB_DIR = "blobs/sha256/";
    public static final String SIGNATURE_DIR = "sigil/signatures/sha256/";
    public static final String LOOKASIDE_DIR = "lookaside/";

    /** The OCI annotation skopeo's {@code oci:} transport matches the reference against. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern OPTIONAL_SECTION = Pattern.compile("sigil/[a-z0-9-]{1,64}\\.json");
    private static final Pattern LOOKASIDE = Pattern.compile(
            "lookaside/[A-Za-z0-9][A-Za-z0-9._/-]{0,254}@sha256=[a-f0-9]{64}/signature-[1-9][0-9]{0,2}");

    private ArchiveFormat() {
    }

    /** Whether a reader of this version understands an archive of {@code version}: same major version. */
    public static boolean supports(String version) {
        return version != null && version.matches("1\\.[0-9]{1,4}");
    }

    public static String blobPath(String digest) {
        return BLOB_DIR + hexOf(digest);
    }

    public static String signaturePath(String digest) {
        return SIGNATURE_DIR + hexOf(digest);
    }

    public static String lookasidePath(String repository, String manifestDigest, int n) {
        return LOOKASIDE_DIR + repository + "@sha256=" + hexOf(manifestDigest) + "/signature-" + n;
    }

    /**
     * Whether a path may appear in an archive at all. A whitelist, so that nothing but these shapes (never
     * {@code ..}, an absolute path or an empty segment) is ever looked at further.
     */
    public static boolean isAllowedPath(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return path.equals(OCI_LAYOUT) || path.equals(OCI_INDEX)
                || isUnder(path, BLOB_DIR) || isUnder(path, SIGNATURE_DIR)
                || OPTIONAL_SECTION.matcher(path).matches() || LOOKASIDE.matcher(path).matches();
    }

    /** Whether a path is Sigil metadata, read into memory and therefore capped. */
    public static boolean isMetadata(String path) {
        return OPTIONAL_SECTION.matcher(path).matches() || path.equals(OCI_INDEX) || path.equals(OCI_LAYOUT);
    }

    private static boolean isUnder(String path, String dir) {
        return path.startsWith(dir) && HEX.matcher(path.substring(dir.length())).matches();
    }

    static String hexOf(String digest) {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
