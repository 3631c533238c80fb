package io.sigil.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.auth.Access;
import io.sigil.auth.Grants;
import io.sigil.auth.LockedRoles;
import io.sigil.auth.Namespaces;
import io.sigil.auth.ObjectRef;
import io.sigil.auth.ObjectType;
import io.sigil.auth.Perm;
import io.sigil.auth.RoleViews;
import io.sigil.common.ApiException;
import io.sigil.common.Labels;
import io.sigil.common.Prn;
import io.sigil.registry.DistributionPermissions;
import io.sigil.registry.Distribution;
import io.sigil.registry.DistributionFields;
import io.sigil.registry.DistributionService;
import io.sigil.common.ContentOrigin;
import io.sigil.registry.PolicyReports;
import io.sigil.signing.SignaturePolicy;
import io.sigil.repository.Hrefs;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Container distributions. Unlike Pulp (which answers 202 with a task), create answers 201, update 200 and delete 204,
 * all synchronously: each is one short transaction that no repository lock stands in the way of.
 */
@Path(Distribution.HREFS)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DistributionResource {

    private static final Set<String> FIELDS = Set.of("name", "base_path", "repository", "repository_version", "private",
            "description", "signature_policy", "pulp_labels");

    @Inject
    ContentOrigin origin;
    @Inject
    DistributionService distributions;
    @Inject
    PolicyReports policyReports;
    @Inject
    jakarta.persistence.EntityManager em;
    @Inject
    RequestBodies bodies;
    @Inject
    DistributionPermissions distributionPermissions;
    @Inject
    Access access;
    @Inject
    ObjectRoleActions roleActions;

    /**
     * Pulls of manifests need a valid signature by one of {@code keys} (trusted-key hrefs); with {@code exact}, one
     * naming the pulled repository and tag. {@code reference}: the repository identities are checked against, null
     * for {@code <host the client pulls from>/<base_path>}.
     */
    public record SignaturePolicyView(List<String> keys, boolean exact, String reference) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DistributionView(String pulpHref, String prn, OffsetDateTime pulpCreated, OffsetDateTime pulpLastUpdated,
                                   String name, String basePath, String repository, String repositoryVersion,
                                   boolean isPrivate, String description, String registryPath,
                                   SignaturePolicyView signaturePolicy, Map<String, String> pulpLabels) {

        @com.fasterxml.jackson.annotation.JsonProperty("private")
        @Override
        public boolean isPrivate() {
            return isPrivate;
        }
    }

    @GET
    @Transactional
    @Operation(summary = "List the distributions the caller may view (public ones and those their roles reach), "
            + "filtered by name or base_path")
    public Page<DistributionView> list(@BeanParam NameFilter names, @QueryParam("base_path") String basePath,
                                       @QueryParam("pulp_label_select") String labelSelect,
                                       @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                       @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        NameFilter.Query filter = names.query().and("basePath = :basePath", "basePath", basePath)
                .labels(em, Labels.Table.DISTRIBUTION, labelSelect);
        DistributionPermissions.Reach reach = distributionPermissions.reach(access.caller(), Perm.VIEW_DISTRIBUTION);
        Map<String, Object> params = new HashMap<>(filter.parameters().map());
        if (!reach.all()) {
            params.put("reachIds", reach.distributions());
            params.put("reachNamespaces", reach.namespaceNames());
        }
        var query = Distribution.<Distribution>find("from Distribution d where " + filter.where() + " and "
                + DistributionService.visible(reach) + " order by d.id", params);
        List<DistributionView> results = query.range(page.offset(), page.offset() + page.limit() - 1).list()
                .stream().map(d -> view(d, uri)).toList();
        return Page.of(uri, page, query.count(), results);
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "Create a distribution (synchronous: 201 with the distribution)")
    @Transactional
    public DistributionView create(@RequestBody(content = @Content(schema = @Schema(implementation = DistributionRequest.class))) JsonNode body,
                                   @Context UriInfo uri) {
        DistributionFields fields = fields(body);
        if (fields.basePath() != null && DistributionService.isValidBasePath(fields.basePath())) {
            requireMayCreateAt(fields.basePath());
        }
        requirePublishable(fields);
        Distribution created = distributions.create(fields);
        distributionPermissions.claimNamespace(access.caller(), created.basePath);
        access.makeOwner(LockedRoles.DISTRIBUTION_OWNER, ObjectRef.distribution(created.pulpId));
        return viewOf(created.pulpId, uri);
    }

    @GET
    @Path("{id}/")
    @Transactional
    @Operation(summary = "Read a distribution")
    public DistributionView get(@PathParam("id") UUID id, @Context UriInfo uri) {
        return view(allowed(id, null, null), uri);
    }

    @PATCH
    @Path("{id}/")
    @Operation(summary = "Change some fields of a distribution (synchronous)")
    @Transactional
    public DistributionView patch(@PathParam("id") UUID id,
                                  @RequestBody(content = @Content(schema = @Schema(implementation = DistributionRequest.class))) JsonNode body,
                                  @Context UriInfo uri) {
        DistributionFields fields = fields(body);
        requireMayChange(id, fields);
        distributions.update(id, fields);
        return viewOf(id, uri);
    }

    @PUT
    @Path("{id}/")
    @Operation(summary = "Replace a distribution's fields (synchronous)")
    @Transactional
    public DistributionView put(@PathParam("id") UUID id,
                                @RequestBody(content = @Content(schema = @Schema(implementation = DistributionRequest.class))) JsonNode body,
                                @Context UriInfo uri) {
        DistributionFields given = fields(body);
        requireMayChange(id, given);
        // A full update: fields left out go back to their defaults.
        Set<String> all = new HashSet<>(FIELDS);
        distributions.update(id, new DistributionFields(given.name(), given.basePath(), given.repository(),
                given.repositoryVersion(), given.isPrivate(), given.description(), given.signaturePolicy(),
                given.pulpLabels(), all));
        return viewOf(id, uri);
    }

    /** A pull's decision: {@code blocked} with a reason (identity_mismatch, other_keys, invalid, unsigned) and message. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PolicyDecisionView(String digest, boolean blocked, String reason, String message) {
        static PolicyDecisionView of(String digest, SignaturePolicy.Decision d) {
            return new PolicyDecisionView(digest, !d.allowed(), d.allowed() ? null : d.reason().name().toLowerCase(Locale.ROOT),
                    d.message());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PolicyReportView(String tag, String reference, String digest, boolean blocked, String reason,
                                   String message, List<PolicyDecisionView> listedManifests) {
        static PolicyReportView of(PolicyReports.Entry e) {
            PolicyDecisionView own = PolicyDecisionView.of(e.digest(), e.decision());
            return new PolicyReportView(e.tag(), e.reference(), e.digest(), own.blocked(), own.reason(), own.message(),
                    e.children().stream().map(c -> PolicyDecisionView.of(c.digest(), c.decision())).toList());
        }
    }

    @GET
    @Path("{id}/signature_report/")
    @Operation(summary = "For each tag of the served version: whether the signature policy blocks a pull by that tag, "
            + "and why; for a list, each child as pulled by digest. Nothing is blocked without a policy")
    public Page<PolicyReportView> signatureReport(@PathParam("id") UUID id, @QueryParam("limit") String limit,
                                                  @QueryParam("offset") String offset, @Context UriInfo uri) {
        allowed(id, null, null);
        PageRequest page = PageRequest.of(limit, offset);
        PolicyReports.Report report = policyReports.report(id, origin.host(), page.limit(), page.offset());
        return Page.of(uri, page, report.count(), report.entries().stream().map(PolicyReportView::of).toList());
    }

    @DELETE
    @Path("{id}/")
    @Operation(summary = "Delete a distribution (synchronous; the repository it served stays)")
    public void delete(@PathParam("id") UUID id) {
        allowed(id, Perm.DELETE_DISTRIBUTION, "delete this distribution");
        distributions.delete(id);
    }

    @GET
    @Path("{id}/list_roles/")
    @Operation(operationId = "distributions_container_container_list_roles", summary = "List the roles held on this distribution")
    public RoleViews.ObjectRoles listRoles(@PathParam("id") UUID id) {
        DistributionPermissions.Standing standing = standing(id);
        return roleActions.list(standing.distribution(), standing.mayView(), Perm.MANAGE_ROLES_DISTRIBUTION);
    }

    @POST
    @Path("{id}/add_role/")
    @Operation(operationId = "distributions_container_container_add_role", summary = "Give users or groups a role on this distribution")
    @ResponseStatus(201)
    public RoleViews.RoleChange addRole(@PathParam("id") UUID id, RoleViews.RoleChange change) {
        DistributionPermissions.Standing standing = standing(id);
        return roleActions.add(standing.distribution(), standing.mayView(), Perm.MANAGE_ROLES_DISTRIBUTION, change);
    }

    @POST
    @Path("{id}/remove_role/")
    @Operation(operationId = "distributions_container_container_remove_role", summary = "Take a role on this distribution from users or groups")
    @ResponseStatus(201)
    public RoleViews.RoleChange removeRole(@PathParam("id") UUID id, RoleViews.RoleChange change) {
        DistributionPermissions.Standing standing = standing(id);
        return roleActions.remove(standing.distribution(), standing.mayView(), Perm.MANAGE_ROLES_DISTRIBUTION, change);
    }

    @GET
    @Path("{id}/my_permissions/")
    @Operation(operationId = "distributions_container_container_my_permissions", summary = "The caller's permissions on this distribution")
    public RoleViews.MyPermissions myPermissions(@PathParam("id") UUID id) {
        DistributionPermissions.Standing standing = standing(id);
        return roleActions.mine(standing.distribution(), standing.mayView());
    }

    @Transactional
    DistributionPermissions.Standing standing(UUID id) {
        return distributionPermissions.of(access.caller(), distributions.get(id));
    }

    /** The distribution, if the caller may view it (else 404) and holds {@code permission} on it or its namespace (else 403). */
    Distribution allowed(UUID id, String permission, String action) {
        Distribution d = distributions.get(id);
        DistributionPermissions.Standing standing = distributionPermissions.of(access.caller(), d);
        if (!standing.mayView()) {
            throw Access.notFound(standing.distribution());
        }
        if (permission != null && !standing.may(permission)) {
            throw Access.forbidden(action, permission + " or " + Perm.onNamespace(permission) + " on its namespace");
        }
        return d;
    }

    /**
     * A change needs change rights on the distribution; repointing it needs the right to publish the new repository,
     * and moving it to another namespace the right to create distributions there.
     */
    private void requireMayChange(UUID id, DistributionFields fields) {
        Distribution d = allowed(id, Perm.CHANGE_DISTRIBUTION, "change this distribution");
        if (fields.has("base_path") && fields.basePath() != null && DistributionService.isValidBasePath(fields.basePath())
                && !Namespaces.nameOf(fields.basePath()).equals(Namespaces.nameOf(d.basePath))) {
            requireMayCreateAt(fields.basePath());
            distributionPermissions.claimNamespace(access.caller(), fields.basePath());
        }
        requirePublishable(fields);
    }

    private void requireMayCreateAt(String basePath) {
        if (!distributionPermissions.mayCreateAt(access.caller(), basePath)) {
            throw Access.forbidden("create distributions in namespace " + Namespaces.nameOf(basePath),
                    Perm.NAMESPACE_ADD_DISTRIBUTION + " on that namespace, or " + Perm.ADD_DISTRIBUTION);
        }
    }

    /** Publishing a repository (or one of its versions) needs the right to change its content. */
    private void requirePublishable(DistributionFields fields) {
        String href = fields.has("repository") || fields.repository() != null ? fields.repository()
                : fields.has("repository_version") || fields.repositoryVersion() != null ? fields.repositoryVersion() : null;
        if (href == null) {
            return;
        }
        String field = href.equals(fields.repository()) ? "repository" : "repository_version";
        ObjectRef.parse(href.replaceFirst("versions/\\d+/$", "")).filter(ref -> ref.type() == ObjectType.REPOSITORY).ifPresent(ref -> {
            Grants grants = access.grants(ref);
            if (!grants.has(Perm.VIEW_REPOSITORY, ref)) {
                throw ApiException.field(field, "repository " + ref.href() + " does not exist");
            }
            if (!grants.has(Perm.MODIFY_REPOSITORY_CONTENT, ref)) {
                throw Access.forbidden("publish repository " + ref.href(), Perm.MODIFY_REPOSITORY_CONTENT + " on it");
            }
        });
    }

    @Transactional
    DistributionView viewOf(UUID id, UriInfo uri) {
        return view(distributions.get(id), uri);
    }

    private DistributionView view(Distribution d, UriInfo uri) {
        String repositoryVersion = d.repositoryVersion == null ? null
                : Hrefs.version(d.repositoryVersion.repository.pulpId, d.repositoryVersion.number);
        DistributionFields.PolicyFields policy = distributions.policyFields(d);
        return new DistributionView(d.href(), Prn.of(Prn.DISTRIBUTION, d.pulpId), d.pulpCreated, d.pulpLastUpdated, d.name, d.basePath,
                d.repository == null ? null : d.repository.href(), repositoryVersion, d.isPrivate, d.description,
                origin.host() + "/" + d.basePath,
                policy == null ? null : new SignaturePolicyView(policy.keys(), policy.exact(), policy.reference()),
                d.pulpLabels);
    }

    /** A create, update or partial update; which fields a partial update changes is read from the JSON itself. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DistributionRequest(
            @Size(min = 1, max = 255, message = "Ensure this field has 1 to {max} characters.") String name,
            @Size(min = 1, max = 255, message = "Ensure this field has 1 to {max} characters.") String basePath,
            String repository, String repositoryVersion,
            @com.fasterxml.jackson.annotation.JsonProperty("private") Boolean isPrivate,
            @Size(max = RepositoryResource.MAX_DESCRIPTION, message = "Ensure this field has no more than {max} characters.") String description,
            @Valid SignaturePolicyRequest signaturePolicy, Map<String, String> pulpLabels) {
    }

    /** {@code {"keys": [hrefs], "exact": bool, "reference": "host/path"}}; null (or absent) for no policy. */
    public record SignaturePolicyRequest(@NotNull(message = "This field is required.") List<@NotNull String> keys,
                                         Boolean exact, String reference) {
    }

    private DistributionFields fields(JsonNode body) {
        DistributionRequest request = bodies.bind(body, DistributionRequest.class);
        Set<String> given = new HashSet<>();
        body.fieldNames().forEachRemaining(given::add);
        SignaturePolicyRequest policy = request.signaturePolicy();
        return new DistributionFields(request.name(), request.basePath(), request.repository(), request.repositoryVersion(),
                request.isPrivate(), request.description(), policy == null ? null
                : new DistributionFields.PolicyFields(policy.keys(), Boolean.TRUE.equals(policy.exact()), policy.reference()),
                Labels.read("pulp_labels", body.get("pulp_labels")), given);
    }
}
