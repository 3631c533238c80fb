package io.sigil.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.common.ApiException;
import io.sigil.common.Labels;
import io.sigil.common.Prn;
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
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.util.HashSet;
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
    @Operation(summary = "List distributions, filtered by name or base_path")
    public Page<DistributionView> list(@BeanParam NameFilter names, @QueryParam("base_path") String basePath,
                                       @QueryParam("pulp_label_select") String labelSelect,
                                       @QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                       @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        NameFilter.Query filter = names.query().and("basePath = :basePath", "basePath", basePath)
                .labels(em, Labels.Table.DISTRIBUTION, labelSelect);
        var query = Distribution.<Distribution>find(filter.text(), filter.parameters());
        List<DistributionView> results = query.range(page.offset(), page.offset() + page.limit() - 1).list()
                .stream().map(d -> view(d, uri)).toList();
        return Page.of(uri, page, query.count(), results);
    }

    @POST
    @ResponseStatus(201)
    @Operation(summary = "Create a distribution (synchronous: 201 with the distribution)")
    public DistributionView create(@RequestBody(content = @Content(schema = @Schema(implementation = DistributionRequest.class))) JsonNode body,
                                   @Context UriInfo uri) {
        Distribution created = distributions.create(fields(body));
        return viewOf(created.pulpId, uri);
    }

    @GET
    @Path("{id}/")
    @Transactional
    @Operation(summary = "Read a distribution")
    public DistributionView get(@PathParam("id") UUID id, @Context UriInfo uri) {
        return view(distributions.get(id), uri);
    }

    @PATCH
    @Path("{id}/")
    @Operation(summary = "Change some fields of a distribution (synchronous)")
    public DistributionView patch(@PathParam("id") UUID id,
                                  @RequestBody(content = @Content(schema = @Schema(implementation = DistributionRequest.class))) JsonNode body,
                                  @Context UriInfo uri) {
        distributions.update(id, fields(body));
        return viewOf(id, uri);
    }

    @PUT
    @Path("{id}/")
    @Operation(summary = "Replace a distribution's fields (synchronous)")
    public DistributionView put(@PathParam("id") UUID id,
                                @RequestBody(content = @Content(schema = @Schema(implementation = DistributionRequest.class))) JsonNode body,
                                @Context UriInfo uri) {
        DistributionFields given = fields(body);
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
        PageRequest page = PageRequest.of(limit, offset);
        PolicyReports.Report report = policyReports.report(id, origin.host(), page.limit(), page.offset());
        return Page.of(uri, page, report.count(), report.entries().stream().map(PolicyReportView::of).toList());
    }

    @DELETE
    @Path("{id}/")
    @Operation(summary = "Delete a distribution (synchronous; the repository it served stays)")
    public void delete(@PathParam("id") UUID id) {
        distributions.delete(id);
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
