package io.sigil.api;

import io.sigil.auth.Access;
import io.sigil.auth.ObjectRef;
import io.sigil.auth.Perm;
import io.sigil.common.ApiException;
import io.sigil.content.ContentType;
import io.sigil.content.ContentUnit;
import io.sigil.repository.ContentBrowser;
import io.sigil.repository.ContentFilter;
import io.sigil.repository.Hrefs;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.Explode;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Content units: read-only; content arrives by push, sync, signing or import. One endpoint per type, each declaring
 * only the filters that apply to it (any other is refused with a 400 naming it).
 */
@Path("/pulp/api/v3/content/container/")
@Produces(MediaType.APPLICATION_JSON)
public class ContentResource {

    private static final String VERIFIED = " verified=true|false: with (without) a valid verdict against the trusted keys; "
            + "key=<fingerprint> narrows valid to that trusted key";

    @Inject
    ContentBrowser browser;
    @Inject
    ContentViews views;
    @Inject
    Access access;

    @GET
    @Path("tags/")
    @Operation(summary = "List tags, optionally in a repository version")
    public Page<ContentViews.TagView> tags(@QueryParam("repository_version") String repositoryVersion,
                             @QueryParam("repository_version_added") String versionAdded,
                             @QueryParam("repository_version_removed") String versionRemoved,
                             @Parameter(description = "Digests of the tagged manifests", explode = Explode.FALSE,
                                     schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(type = SchemaType.ARRAY, implementation = String.class))
                             @QueryParam("digest") String digest,
                             @QueryParam("media_type") String mediaType,
                             @QueryParam("name") String name, @QueryParam("name__in") String nameIn,
                             @QueryParam("limit") String limit, @QueryParam("offset") String offset, @Context UriInfo uri) {
        ContentFilter filter = new ContentFilter(ContentType.TAG, viewable(version("repository_version", repositoryVersion)),
                viewable(version("repository_version_added", versionAdded)), viewable(version("repository_version_removed", versionRemoved)),
                list(digest), mediaType, null, oneOrMany(name, nameIn), null, null, null, null, null, null);
        return page(filter, limit, offset, uri, ContentViews.TagView.class);
    }

    @GET
    @Path("manifests/")
    @Operation(summary = "List manifests, optionally in a repository version. signed=true|false: with (without) a signature;"
            + VERIFIED)
    public Page<ContentViews.ManifestView> manifests(@QueryParam("repository_version") String repositoryVersion,
                                  @QueryParam("repository_version_added") String versionAdded,
                                  @QueryParam("repository_version_removed") String versionRemoved,
                                  @QueryParam("digest") String digest, @QueryParam("digest__in") String digestIn,
                                  @QueryParam("media_type") String mediaType, @QueryParam("type") String kind,
                                  @QueryParam("signed") Boolean signed, @QueryParam("key_id") String keyId,
                                  @QueryParam("verified") Boolean verified, @QueryParam("key") String verifiedBy,
                                  @QueryParam("limit") String limit, @QueryParam("offset") String offset, @Context UriInfo uri) {
        ContentFilter filter = new ContentFilter(ContentType.MANIFEST, viewable(version("repository_version", repositoryVersion)),
                viewable(version("repository_version_added", versionAdded)), viewable(version("repository_version_removed", versionRemoved)),
                oneOrMany(digest, digestIn), mediaType, kind, null, null, signed, keyId, null, verified, verifiedBy);
        return page(filter, limit, offset, uri, ContentViews.ManifestView.class);
    }

    @GET
    @Path("blobs/")
    @Operation(summary = "List blobs, optionally in a repository version")
    public Page<ContentViews.BlobView> blobs(@QueryParam("repository_version") String repositoryVersion,
                              @QueryParam("repository_version_added") String versionAdded,
                              @QueryParam("repository_version_removed") String versionRemoved,
                              @QueryParam("digest") String digest, @QueryParam("digest__in") String digestIn,
                              @QueryParam("limit") String limit, @QueryParam("offset") String offset, @Context UriInfo uri) {
        ContentFilter filter = new ContentFilter(ContentType.BLOB, viewable(version("repository_version", repositoryVersion)),
                viewable(version("repository_version_added", versionAdded)), viewable(version("repository_version_removed", versionRemoved)),
                oneOrMany(digest, digestIn), null, null, null, null, null, null, null, null, null);
        return page(filter, limit, offset, uri, ContentViews.BlobView.class);
    }

    @GET
    @Path("signatures/")
    @Operation(summary = "List signatures, optionally in a repository version; manifest=<digest> those of one manifest;"
            + VERIFIED)
    public Page<ContentViews.SignatureView> signatures(@QueryParam("repository_version") String repositoryVersion,
                                   @QueryParam("repository_version_added") String versionAdded,
                                   @QueryParam("repository_version_removed") String versionRemoved,
                                   @QueryParam("digest") String digest, @QueryParam("digest__in") String digestIn,
                                   @QueryParam("manifest") String manifestDigest, @QueryParam("type") String kind,
                                   @QueryParam("key_id") String keyId,
                                   @QueryParam("verified") Boolean verified, @QueryParam("key") String verifiedBy,
                                   @QueryParam("limit") String limit, @QueryParam("offset") String offset, @Context UriInfo uri) {
        ContentFilter filter = new ContentFilter(ContentType.SIGNATURE, viewable(version("repository_version", repositoryVersion)),
                viewable(version("repository_version_added", versionAdded)), viewable(version("repository_version_removed", versionRemoved)),
                oneOrMany(digest, digestIn), null, null, null, manifestDigest, null, keyId, kind, verified, verifiedBy);
        return page(filter, limit, offset, uri, ContentViews.SignatureView.class);
    }

    @GET
    @Path("tags/{id}/")
    @Operation(summary = "Read a tag")
    public ContentViews.TagView tag(@PathParam("id") UUID id) {
        return unit(ContentType.TAG, id, ContentViews.TagView.class);
    }

    @GET
    @Path("manifests/{id}/")
    @Operation(summary = "Read a manifest")
    public ContentViews.ManifestView manifest(@PathParam("id") UUID id) {
        return unit(ContentType.MANIFEST, id, ContentViews.ManifestView.class);
    }

    @GET
    @Path("blobs/{id}/")
    @Operation(summary = "Read a blob")
    public ContentViews.BlobView blob(@PathParam("id") UUID id) {
        return unit(ContentType.BLOB, id, ContentViews.BlobView.class);
    }

    @GET
    @Path("signatures/{id}/")
    @Operation(summary = "Read a signature")
    public ContentViews.SignatureView signature(@PathParam("id") UUID id) {
        return unit(ContentType.SIGNATURE, id, ContentViews.SignatureView.class);
    }

    private <T> Page<T> page(ContentFilter filter, String limit, String offset, UriInfo uri, Class<T> view) {
        PageRequest page = PageRequest.of(limit, offset);
        ContentBrowser.IdPage ids = browser.list(filter, page.limit(), page.offset());
        return Page.of(uri, page, ids.count(), views.views(filter.type(), ids.ids()).stream().map(view::cast).toList());
    }

    private <T> T unit(ContentType type, UUID id, Class<T> view) {
        ContentUnit unit = ContentUnit.<ContentUnit>find("pulpId", id).firstResultOptional()
                .filter(u -> u.type() == type)
                .orElseThrow(() -> ApiException.notFound("no " + type.pulpType() + " with id " + id));
        return view.cast(views.views(type, List.of(unit.id)).get(0));
    }

    /** A version of a repository the caller may not view reads as one that does not exist. */
    private Hrefs.VersionRef viewable(Hrefs.VersionRef version) {
        if (version != null) {
            access.require(ObjectRef.repository(version.repository()), Perm.VIEW_REPOSITORY, null, null);
        }
        return version;
    }

    static Hrefs.VersionRef version(String field, String href) {
        if (href == null) {
            return null;
        }
        Hrefs.VersionRef ref = Hrefs.parseVersion(href);
        if (ref == null) {
            throw ApiException.field(field, "'" + href + "' is not a repository version href");
        }
        return ref;
    }

    private static List<String> oneOrMany(String one, String many) {
        if (many != null) {
            return list(many);
        }
        return one == null ? null : List.of(one);
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated == null ? null
                : Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
