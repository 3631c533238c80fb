package io.sigil.registry;

import io.sigil.auth.Perm;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.sigil.storage.Digest;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The OCI distribution API (spec 1.1) under {@code /v2}. Thin: each method checks access through
 * {@link RegistryAccess} and calls one service. Repository names may hold slashes, hence the regex path parameters.
 */
@Path("/v2")
public class RegistryResource {

    static final String DIGEST_HEADER = "Docker-Content-Digest";
    static final String UPLOAD_UUID = "Docker-Upload-UUID";
    private static final String NAME = "{name: .+}";
    /** The most names one page of the catalog or of a tag list holds. */
    static final int MAX_PAGE = 1000;

    @Inject
    RegistryAccess access;
    @Inject
    DistributionPermissions distributionPermissions;
    @Inject
    RegistryPull pull;
    @Inject
    RegistryPush push;
    @Inject
    RegistryUploads uploads;
    @Inject
    DistributionService distributions;
    @Inject
    BlobSender blobSender;

    /** Everything a method here throws leaves in the OCI error shape. */
    @ServerExceptionMapper
    public Response error(Throwable t) {
        return RegistryExceptionMapper.toResponse(RegistryExceptionMapper.translate(t));
    }

    @GET
    @Path("/")
    @Operation(summary = "API version check; 401 with a token challenge unless a token is sent")
    public Response ping(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (access.caller(authorization).token() == null) {
            throw access.challenge();
        }
        return Response.ok("{}", "application/json").build();
    }

    @HEAD
    @Path("/")
    public Response pingHead(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return ping(authorization);
    }

    @GET
    @Path("/_catalog")
    @Operation(summary = "Repositories the caller may pull, in lexical order, paged with n and last")
    public Response catalog(@QueryParam("n") String n, @QueryParam("last") String last,
                            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        DistributionPermissions.Reach reach = distributionPermissions.reach(access.user(access.caller(authorization)),
                Perm.PULL_DISTRIBUTION);
        Integer requested = pageSize(n);
        if (requested != null && requested > MAX_PAGE) {
            // As distribution does for its catalog: more than one page allows is an error, not a silent cut.
            throw RegistryError.PAGINATION_NUMBER_INVALID.with("n may be at most " + MAX_PAGE + ", got " + requested,
                    Map.of("n", requested, "limit", MAX_PAGE));
        }
        int limit = requested == null ? MAX_PAGE : requested;
        List<String> names = distributions.basePaths(after(last, RegistryError.NAME_INVALID), limit + 1, reach);
        return page("repositories", Map.of(), names, limit, "/v2/_catalog");
    }

    @GET
    @Path(NAME + "/tags/list")
    @Operation(summary = "Tags of a repository in lexical order, paged with n and last")
    public Response tags(@PathParam("name") String name, @QueryParam("n") String n, @QueryParam("last") String last,
                         @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        ServedRepository served = access.requirePull(name, authorization);
        Integer requested = pageSize(n);
        // The spec lets a page hold fewer than n tags when a Link header leads on: a larger n gets a full page.
        Integer limit = requested == null ? null : Math.min(requested, MAX_PAGE);
        List<String> tags = pull.tags(served, after(last, RegistryError.TAG_INVALID), limit == null ? null : limit + 1);
        return page("tags", Map.of("name", name), tags, limit, "/v2/" + name + "/tags/list");
    }

    @GET
    @Path(NAME + "/manifests/{reference}")
    @Operation(summary = "A manifest by tag or digest, exactly as pushed")
    public Response manifest(@PathParam("name") String name, @PathParam("reference") String reference,
                             @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        RegistryPull.ManifestContent m = pull.manifest(access.requirePull(name, authorization), reference, true, access.host());
        return Response.ok(m.data(), m.mediaType()).header(DIGEST_HEADER, m.digest()).build();
    }

    @HEAD
    @Path(NAME + "/manifests/{reference}")
    public Response manifestHead(@PathParam("name") String name, @PathParam("reference") String reference,
                                 @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        RegistryPull.ManifestContent m = pull.manifest(access.requirePull(name, authorization), reference, false, access.host());
        return Response.ok().type(m.mediaType()).header(DIGEST_HEADER, m.digest())
                .header(HttpHeaders.CONTENT_LENGTH, m.size()).build();
    }

    @PUT
    @Path(NAME + "/manifests/{reference}")
    @Operation(summary = "Push a manifest by tag or digest; one new repository version")
    public Response putManifest(@PathParam("name") String name, @PathParam("reference") String reference,
                                @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, InputStream body) {
        RegistryPush.Pushed pushed = push.put(access.requirePush(name, authorization), reference, body, contentType);
        Response.ResponseBuilder created = Response.status(201)
                .header(HttpHeaders.LOCATION, "/v2/" + name + "/manifests/" + pushed.digest())
                .header(DIGEST_HEADER, pushed.digest());
        if (pushed.subject() != null) {
            created.header("OCI-Subject", pushed.subject());
        }
        return created.build();
    }

    @DELETE
    @Path(NAME + "/manifests/{reference}")
    @Operation(summary = "Delete a manifest by digest (with its tags, signatures and referrers) or one tag")
    public Response deleteManifest(@PathParam("name") String name, @PathParam("reference") String reference,
                                   @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        push.delete(access.requireExistingPush(name, authorization), reference);
        return Response.accepted().build();
    }

    @GET
    @Path(NAME + "/blobs/{digest: [^/]+}")
    @Operation(summary = "A blob, whole or one byte range")
    public Response blob(@PathParam("name") String name, @PathParam("digest") String digest,
                         @HeaderParam("Range") String range, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return blobSender.send(blobOf(name, digest, authorization), range);
    }

    @HEAD
    @Path(NAME + "/blobs/{digest: [^/]+}")
    public Response blobHead(@PathParam("name") String name, @PathParam("digest") String digest,
                             @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return blobSender.head(blobOf(name, digest, authorization));
    }

    @DELETE
    @Path(NAME + "/blobs/{digest: [^/]+}")
    @Operation(summary = "Delete a blob: a new repository version without it (409 while a kept manifest needs it)")
    public Response deleteBlob(@PathParam("name") String name, @PathParam("digest") String digest,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        push.deleteBlob(access.requireUpload(name, authorization), digest);
        return Response.accepted().build();
    }

    @POST
    @Path(NAME + "/blobs/uploads/")
    @Operation(summary = "Start an upload, upload a whole blob (?digest=) or mount one (?mount=&from=)")
    public Response startUpload(@PathParam("name") String name, @QueryParam("digest") String digest,
                                @QueryParam("mount") String mount, @QueryParam("from") String from,
                                @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, InputStream body) {
        PushTarget target = access.requireUpload(name, authorization);
        if (mount != null && mounted(target, mount, from, authorization)) {
            return blobCreated(name, mount);
        }
        if (digest != null) {
            return blobCreated(name, uploads.monolithic(target, body, digest).toString());
        }
        String id = uploads.start(target);
        return uploadAccepted(Response.status(202), name, id, 0);
    }

    @GET
    @Path(NAME + "/blobs/uploads/{uuid}")
    public Response uploadStatus(@PathParam("name") String name, @PathParam("uuid") String uuid,
                                 @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        long size = uploads.status(access.requireUpload(name, authorization), uuid);
        return uploadAccepted(Response.noContent(), name, uuid, size);
    }

    @PATCH
    @Path(NAME + "/blobs/uploads/{uuid}")
    public Response uploadChunk(@PathParam("name") String name, @PathParam("uuid") String uuid,
                                @HeaderParam("Content-Range") String contentRange,
                                @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, InputStream body) {
        long size = uploads.append(access.requireUpload(name, authorization), uuid, body, contentRange);
        return uploadAccepted(Response.status(202), name, uuid, size);
    }

    @PUT
    @Path(NAME + "/blobs/uploads/{uuid}")
    public Response completeUpload(@PathParam("name") String name, @PathParam("uuid") String uuid,
                                   @QueryParam("digest") String digest, @HeaderParam("Content-Range") String contentRange,
                                   @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, InputStream body) {
        return blobCreated(name, uploads.complete(access.requireUpload(name, authorization), uuid, body, digest, contentRange)
                .toString());
    }

    @DELETE
    @Path(NAME + "/blobs/uploads/{uuid}")
    public Response cancelUpload(@PathParam("name") String name, @PathParam("uuid") String uuid,
                                 @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        uploads.cancel(access.requireUpload(name, authorization), uuid);
        return Response.noContent().build();
    }

    @GET
    @Path(NAME + "/referrers/{digest}")
    @Operation(summary = "Manifests whose subject is the digest, as an OCI index; artifactType filters")
    public Response referrers(@PathParam("name") String name, @PathParam("digest") String digest,
                              @QueryParam("artifactType") String artifactType,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Map<String, Object> index = pull.referrers(access.requirePull(name, authorization), digest, artifactType);
        Response.ResponseBuilder ok = Response.ok(index, "application/vnd.oci.image.index.v1+json");
        if (artifactType != null) {
            ok.header("OCI-Filters-Applied", "artifactType");
        }
        return ok.build();
    }

    /** Anything else under /v2 is an operation this registry does not have: still answered in the OCI shape. */
    @GET
    @Path("{path: .+}")
    @Operation(hidden = true)
    public Response unknownGet(@PathParam("path") String path) {
        throw unknownOperation(path);
    }

    @HEAD
    @Path("{path: .+}")
    @Operation(hidden = true)
    public Response unknownHead(@PathParam("path") String path) {
        throw unknownOperation(path);
    }

    @POST
    @Path("{path: .+}")
    @Operation(hidden = true)
    public Response unknownPost(@PathParam("path") String path) {
        throw unknownOperation(path);
    }

    @PUT
    @Path("{path: .+}")
    @Operation(hidden = true)
    public Response unknownPut(@PathParam("path") String path) {
        throw unknownOperation(path);
    }

    @PATCH
    @Path("{path: .+}")
    @Operation(hidden = true)
    public Response unknownPatch(@PathParam("path") String path) {
        throw unknownOperation(path);
    }

    @DELETE
    @Path("{path: .+}")
    @Operation(hidden = true)
    public Response unknownDelete(@PathParam("path") String path) {
        throw unknownOperation(path);
    }

    private static RegistryException unknownOperation(String path) {
        return RegistryError.NAME_UNKNOWN.with("no registry operation at /v2/" + path);
    }

    /** A blob of a repository, or of a path no manifest has created one at yet when the caller pushes there. */
    private RegistryPull.BlobContent blobOf(String name, String digest, String authorization) {
        Optional<PushTarget> unpublished = access.unpublished(name, authorization);
        return unpublished.isPresent() ? pull.pendingBlob(unpublished.get(), digest)
                : pull.blob(access.requirePull(name, authorization), digest);
    }

    /**
     * Mounts when {@code from} serves the blob to this caller, as a GET of it there would; any refusal there (no such
     * repository, not allowed, no such blob) only means no mount, and the client uploads (202).
     */
    private boolean mounted(PushTarget target, String digest, String from, String authorization) {
        if (from == null || !DistributionService.isValidBasePath(from)) {
            return false; // as distribution: without a usable from, mount is not even read
        }
        Digest blob = Digest.parse(digest);
        try {
            blobOf(from, blob.toString(), authorization);
        } catch (RegistryException e) {
            return false;
        }
        return uploads.mount(target, blob);
    }

    private static Response blobCreated(String name, String digest) {
        return Response.status(201).header(HttpHeaders.LOCATION, "/v2/" + name + "/blobs/" + digest)
                .header(DIGEST_HEADER, digest).header(HttpHeaders.CONTENT_LENGTH, 0).build();
    }

    private static Response uploadAccepted(Response.ResponseBuilder response, String name, String id, long size) {
        return response.header(HttpHeaders.LOCATION, "/v2/" + name + "/blobs/uploads/" + id)
                .header("Range", RegistryUploads.rangeHeader(size)).header(UPLOAD_UUID, id)
                .header(HttpHeaders.CONTENT_LENGTH, 0).build();
    }

    /**
     * {@code last}: any text a name or tag could be. A NUL byte never is one (PostgreSQL text cannot even hold it), so
     * it is refused rather than sent to the database.
     */
    private static String after(String last, RegistryError invalid) {
        if (last != null && last.indexOf('\0') >= 0) {
            throw invalid.with("last must be a name from a previous page, not text with a NUL byte", Map.of("parameter", "last"));
        }
        return last;
    }

    /** {@code n}: absent means everything; otherwise a non-negative count. */
    private static Integer pageSize(String n) {
        if (n == null || n.isBlank()) {
            return null;
        }
        try {
            int value = Integer.parseInt(n.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw RegistryError.PAGINATION_NUMBER_INVALID.with("n must be a non-negative integer, got '" + n + "'");
    }

    /** One page of names, with an RFC 5988 Link to the next page when more remain (one extra was fetched). */
    private static Response page(String field, Map<String, Object> head, List<String> names, Integer limit, String path) {
        boolean more = limit != null && names.size() > limit;
        List<String> shown = more ? names.subList(0, limit) : names;
        Map<String, Object> body = new java.util.LinkedHashMap<>(head);
        body.put(field, shown);
        Response.ResponseBuilder ok = Response.ok(body, "application/json");
        if (more && !shown.isEmpty()) {
            ok.header("Link", "<" + path + "?n=" + limit + "&last="
                    + URLEncoder.encode(shown.get(shown.size() - 1), StandardCharsets.UTF_8) + ">; rel=\"next\"");
        }
        return ok.build();
    }

}
