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

/** Content units: read-only; content arrives by push, sync, signing or import. */
@Path("/pulp/api/v3/content/container/{type}/")
@Produces(MediaType.APPLICATION_JSON)
public class ContentResource {

    @Inject
    ContentBrowser browser;
    @Inject
    ContentViews views;
    @Inject
    Access access;

    @GET
    @Operation(summary = "List content units of a type (blobs, manifests, tags, signatures), optionally in a repository "
            + "version. verified=true|false: signatures with (without) a valid verdict against the trusted keys, manifests "
            + "with (without) such a signature; key=<fingerprint> narrows valid to that trusted key")
    public Page<Object> list(@PathParam("type") String typePath,
                             @QueryParam("repository_version") String repositoryVersion,
                             @QueryParam("repository_version_added") String versionAdded,
                             @QueryParam("repository_version_removed") String versionRemoved,
                             @QueryParam("digest") String digest,
                             @QueryParam("digest__in") String digestIn,
                             @QueryParam("media_type") String mediaType,
                             @QueryParam("type") String kind,
                             @QueryParam("name") String name,
                             @QueryParam("name__in") String nameIn,
                             @QueryParam("manifest") String manifestDigest,
                             @QueryParam("signed") Boolean signed,
                             @QueryParam("key_id") String keyId,
                             @QueryParam("verified") Boolean verified,
                             @QueryParam("key") String verifiedBy,
                             @QueryParam("limit") String limit,
                             @QueryParam("offset") String offset,
                             @Context UriInfo uri) {
        ContentType type = type(typePath);
        PageRequest page = PageRequest.of(limit, offset);
        Hrefs.VersionRef in = viewable(version("repository_version", repositoryVersion));
        Hrefs.VersionRef added = viewable(version("repository_version_added", versionAdded));
        Hrefs.VersionRef removed = viewable(version("repository_version_removed", versionRemoved));
        ContentFilter filter = new ContentFilter(type, in, added, removed,
                oneOrMany(digest, digestIn), mediaType, type == ContentType.MANIFEST ? kind : null, oneOrMany(name, nameIn),
                manifestDigest, signed, keyId, type == ContentType.SIGNATURE ? kind : null, verified, verifiedBy);
        ContentBrowser.IdPage ids = browser.list(filter, page.limit(), page.offset());
        return Page.of(uri, page, ids.count(), views.views(type, ids.ids()));
    }

    @GET
    @Path("{id}/")
    @Operation(summary = "Read one content unit")
    public Object get(@PathParam("type") String typePath, @PathParam("id") UUID id) {
        ContentType type = type(typePath);
        ContentUnit unit = ContentUnit.<ContentUnit>find("pulpId", id).firstResultOptional()
                .filter(u -> u.type() == type)
                .orElseThrow(() -> ApiException.notFound("no " + type.pulpType() + " with id " + id));
        return views.views(type, List.of(unit.id)).get(0);
    }

    /** A version of a repository the caller may not view reads as one that does not exist. */
    private Hrefs.VersionRef viewable(Hrefs.VersionRef version) {
        if (version != null) {
            access.require(ObjectRef.repository(version.repository()), Perm.VIEW_REPOSITORY, null, null);
        }
        return version;
    }

    private static ContentType type(String path) {
        return ContentType.ofPath(path).orElseThrow(() -> ApiException.notFound("unknown content type '" + path + "'"));
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
            return Arrays.stream(many.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return one == null ? null : List.of(one);
    }
}
