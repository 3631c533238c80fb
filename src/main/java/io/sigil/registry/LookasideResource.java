package io.sigil.registry;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The atomic signatures of every served manifest in the lookaside layout containers/image reads
 * ({@code <base>/<repository>@sha256=<hex>/signature-<n>}, n from 1), so that a {@code registries.d} entry
 * {@code lookaside: http://sigil/lookaside} finds them without the extension API (for a mirror of Sigil's content, or
 * a client that never pings Sigil). containers/image fetches these with no credentials: private distributions answer
 * 401 as their pulls do. 404 ends the list, as the client expects.
 */
@Path("/lookaside")
public class LookasideResource {

    private static final Pattern LAYOUT = Pattern.compile("(.+)@sha256=([a-f0-9]{64})/signature-([1-9][0-9]{0,3})");

    @Inject
    RegistryAccess access;
    @Inject
    RegistrySignatures signatures;

    @ServerExceptionMapper
    public Response error(Throwable t) {
        return RegistryExceptionMapper.toResponse(RegistryExceptionMapper.translate(t));
    }

    @GET
    @Path("{path: .+}")
    @Operation(summary = "One atomic signature of a served manifest in the containers/image lookaside layout")
    public Response signature(@PathParam("path") String path, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Matcher m = LAYOUT.matcher(path);
        if (!m.matches()) {
            throw RegistryError.NAME_INVALID.with("not a lookaside path <repository>@sha256=<hex>/signature-<n>: " + path,
                    Map.of("path", path));
        }
        List<byte[]> atomic = signatures.atomicBlobs(access.requirePull(m.group(1), authorization), "sha256:" + m.group(2));
        int n = Integer.parseInt(m.group(3));
        if (n > atomic.size()) {
            return Response.status(404).build();
        }
        return Response.ok(atomic.get(n - 1), "application/octet-stream").build();
    }
}
