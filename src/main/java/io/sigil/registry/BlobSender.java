package io.sigil.registry;

import io.sigil.storage.BlobNotFoundException;
import io.sigil.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.PathPart;

/**
 * Writes blob responses. A blob kept in a file goes out with sendfile (no copy through the JVM heap); otherwise it is
 * streamed. A single {@code Range: bytes=a-b} is honoured with 206; an unsatisfiable one gets 416.
 */
@ApplicationScoped
public class BlobSender {

    private static final String OCTET_STREAM = "application/octet-stream";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    @Inject
    BlobStore store;

    public Response head(RegistryPull.BlobContent blob) {
        return headers(Response.ok(), blob).header(HttpHeaders.CONTENT_LENGTH, blob.size()).build();
    }

    public Response send(RegistryPull.BlobContent blob, String rangeHeader) {
        long size = blob.size();
        long[] range = rangeHeader == null ? null : range(rangeHeader.trim(), size);
        if (range == null) {
            return body(headers(Response.ok(), blob), blob, 0, size).build();
        }
        long length = range[1] - range[0] + 1;
        return body(headers(Response.status(206), blob), blob, range[0], length)
                .header("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size).build();
    }

    private static Response.ResponseBuilder headers(Response.ResponseBuilder response, RegistryPull.BlobContent blob) {
        return response.type(OCTET_STREAM).header(RegistryResource.DIGEST_HEADER, blob.digest().toString())
                .header("Accept-Ranges", "bytes").header(HttpHeaders.ETAG, "\"" + blob.digest() + "\"");
    }

    /**
     * A file part (its length is known to the server), or the store's stream (an S3 object, say), whose length is
     * stated so that clients see a Content-Length rather than a chunked body.
     */
    private Response.ResponseBuilder body(Response.ResponseBuilder response, RegistryPull.BlobContent blob, long offset, long length) {
        Optional<Path> file = store.file(blob.digest());
        if (file.isPresent()) {
            return response.entity(filePart(file.get(), blob, offset, length));
        }
        try {
            InputStream in = store.open(blob.digest(), offset);
            return response.entity(new BoundedInputStream(in, length)).header(HttpHeaders.CONTENT_LENGTH, length);
        } catch (BlobNotFoundException e) {
            // Orphan clean-up deleted it after the version lookup: a clean 404, as if the lookup had come later.
            throw RegistryError.BLOB_UNKNOWN.with(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PathPart checks the file again: orphan clean-up may have deleted it since the store found it. */
    private static PathPart filePart(Path file, RegistryPull.BlobContent blob, long offset, long length) {
        try {
            return new PathPart(file, offset, length);
        } catch (IllegalArgumentException e) {
            if (java.nio.file.Files.isRegularFile(file)) {
                throw e;
            }
            throw RegistryError.BLOB_UNKNOWN.with("blob " + blob.digest() + " is no longer stored");
        }
    }

    /** [first, last] of a satisfiable single range; null to ignore the header (unparseable or multiple ranges). */
    static long[] range(String header, long size) {
        Matcher m = RANGE.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) { // suffix range: the last n bytes
            long suffix = Long.parseLong(m.group(2));
            first = Math.max(0, size - suffix);
            last = size - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
        }
        if (first >= size || first > last) {
            throw RegistryError.RANGE_INVALID.with("range " + header + " is outside the blob's " + size + " bytes")
                    .header("Content-Range", "bytes */" + size);
        }
        return new long[] {first, last};
    }

    /** At most {@code remaining} bytes of a stream. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buffer, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
