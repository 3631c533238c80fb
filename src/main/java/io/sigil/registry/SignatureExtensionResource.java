package io.sigil.registry;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** {@code /extensions/v2/<name>/signatures/<digest>}: the atomic signature API that skopeo and podman use. */
@Path("/extensions/v2")
public class SignatureExtensionResource {

    private static final String NAME = "{name: .+}";

    @Inject
    RegistryAccess access;
    @Inject
    RegistrySignatures signatures;

    @ServerExceptionMapper
    public Response error(Throwable t) {
        return RegistryExceptionMapper.toResponse(RegistryExceptionMapper.translate(t));
    }

    @GET
    @Path(NAME + "/signatures/{digest}")
    @Operation(summary = "Atomic signatures of a manifest in the served version (an empty list when it has none)")
    public Response list(@PathParam("name") String name, @PathParam("digest") String digest,
                         @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return Response.ok(signatures.list(access.requirePull(name, authorization), digest), "application/json").build();
    }

    @PUT
    @Path(NAME + "/signatures/{digest}")
    @Operation(summary = "Add one atomic signature of a manifest; checked against the manifest, in a new version")
    public Response put(@PathParam("name") String name, @PathParam("digest") String digest,
                        @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, InputStream body) {
        signatures.put(access.requireExistingPush(name, authorization), digest, body);
        return Response.status(201).header(HttpHeaders.LOCATION, "/extensions/v2/" + name + "/signatures/" + digest)
                .header(HttpHeaders.CONTENT_LENGTH, 0).build();
    }
}
