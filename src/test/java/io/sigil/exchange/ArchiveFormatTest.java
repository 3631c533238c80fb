package io.sigil.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigil.common.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The archive layout's path whitelist, format versions and chunk sizes. */
class ArchiveFormatTest {

    private static final String HEX = "a".repeat(64);

    @Test
    void onlyTheLayoutsPathsAreAllowed() {
        for (String ok : List.of("sigil/export.json", "sigil/future-section.json", "blobs/sha256/" + HEX, "oci-layout",
                "index.json", "sigil/signatures/sha256/" + HEX, "lookaside/library/busybox@sha256=" + HEX + "/signature-1")) {
            assertTrue(ArchiveFormat.isAllowedPath(ok), ok);
        }
        for (String bad : List.of("", "/sigil/export.json", "../x", "blobs/sha256/../" + HEX, "blobs/sha256/" + HEX + "/",
                "blobs/sha256/" + HEX.toUpperCase(), "blobs/sha512/" + HEX, "sigil/x.json\0", "sigil\\x.json",
                "lookaside/../x@sha256=" + HEX + "/signature-1", "lookaside/a@sha256=" + HEX + "/signature-0", "etc/passwd")) {
            assertFalse(ArchiveFormat.isAllowedPath(bad), bad);
        }
    }

    @Test
    void aReaderOfOneMajorVersionReadsEveryMinorOne() {
        assertTrue(ArchiveFormat.supports("1.0"));
        assertTrue(ArchiveFormat.supports("1.12"));
        assertFalse(ArchiveFormat.supports("2.0"));
        assertFalse(ArchiveFormat.supports("1"));
        assertFalse(ArchiveFormat.supports(null));
    }

    @Test
    void chunkSizesAreDecimalAsInPulp() {
        assertNull(ChunkSize.parse(null));
        assertEquals(100_000_000L, ChunkSize.parse("100MB"));
        assertEquals(1_000_000_000L, ChunkSize.parse("1gb"));
        assertEquals(512L, ChunkSize.parse("512"));
        assertThrows(ApiException.class, () -> ChunkSize.parse("0"));
        assertThrows(ApiException.class, () -> ChunkSize.parse("1.5GB"));
        assertThrows(ApiException.class, () -> ChunkSize.parse("1001GB"));
    }
}
