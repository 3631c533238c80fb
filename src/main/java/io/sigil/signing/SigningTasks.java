package io.sigil.signing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sigil.auth.Caller;
import io.sigil.auth.LockedRoles;
import io.sigil.auth.ObjectRef;
import io.sigil.auth.Perm;
import io.sigil.auth.Permissions;
import io.sigil.common.ApiException;
import io.sigil.common.Sql;
import io.sigil.repository.ContentRefs;
import io.sigil.repository.Repository;
import io.sigil.signature.DockerReference;
import io.sigil.signature.KeyMaterial;
import io.sigil.signature.RevokedKeys;
import io.sigil.signature.SignatureIngest;
import io.sigil.tasks.TaskDispatcher;
import io.sigil.tasks.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates sign requests and dispatches the sign task, which holds the repository exclusively. Everything a
 * client can get wrong is a 400 here, before any task exists.
 */
@ApplicationScoped
public class SigningTasks {

    public static final String SIGN = "repository.sign";
    private static final Pattern SERVICE_HREF = Pattern.compile(Pattern.quote(SigningService.COLLECTION) + "([0-9a-f-]{36})/");

    @Inject
    TaskDispatcher dispatcher;
    @Inject
    SigningServices services;
    @Inject
    RevokedKeys revokedKeys;
    @Inject
    ContentRefs refs;
    @Inject
    EntityManager em;
    @Inject
    Permissions permissions;

    /**
     * @param signing_service the service's href
     * @param reference       registry host and repository path; each tag is signed as {@code <reference>:<tag>}
     * @param tags            tag names to sign (default: every tag but cosign attachment tags)
     * @param content_units   or: manifest hrefs, each signed under each of its tags
     */
    public record SignRequest(String signing_service, String reference, List<String> tags, List<String> content_units) {
    }

    record SignParameters(UUID repository, UUID service, String reference, List<String> tags, List<Long> manifests) {
    }

    /**
     * Dispatches a sign task. The caller must hold the signer role on the service (admins do), and the service must
     * be allowed to sign for the reference (admins too: a service says what it signs for, whoever asks).
     */
    public TaskRef sign(Repository repository, SignRequest request, Caller caller) {
        if (request == null) {
            throw ApiException.badRequest("a JSON body with signing_service and reference is required");
        }
        SigningService service = service(request.signing_service());
        String reference = reference(request.reference());
        requireMaySign(service, reference, caller);
        if (request.tags() != null && request.content_units() != null) {
            throw ApiException.badRequest("give tags or content_units, not both");
        }
        List<Long> manifests = request.content_units() == null ? null
                : new ArrayList<>(refs.resolve("content_units", request.content_units()));
        requireSomethingToSign(repository, request.tags(), manifests);
        SignParameters parameters = new SignParameters(repository.pulpId, service.id(), reference, request.tags(), manifests);
        return dispatcher.dispatch(SIGN, parameters, List.of(repository.resource()), List.of());
    }

    private void requireMaySign(SigningService service, String reference, Caller caller) {
        if (!permissions.has(caller, Perm.SIGN_WITH_SIGNING_SERVICE, ObjectRef.signingService(service.id()))) {
            String detail = "You may not sign with signing service " + service.name() + ": it needs the role "
                    + LockedRoles.SIGNER + " on that service.";
            throw new ApiException(403, Map.of("detail", detail), detail);
        }
        if (!service.mayFor(reference)) {
            String detail = "Signing service " + service.name() + " may not sign for " + reference + (service.allowedReferences().isEmpty()
                    ? ": it has no allowed_references yet (an admin sets them)."
                    : ": it signs only for " + String.join(", ", service.allowedReferences()) + ".");
            throw new ApiException(403, Map.of("detail", detail, "signing_service", service.href(), "reference", reference), detail);
        }
    }

    private SigningService service(String href) {
        Matcher m = href == null ? null : SERVICE_HREF.matcher(href);
        if (m == null || !m.matches()) {
            throw ApiException.field("signing_service", "'" + href + "' is not a signing service href");
        }
        UUID id = UUID.fromString(m.group(1));
        SigningService service;
        try {
            service = services.get(id);
        } catch (ApiException e) {
            throw ApiException.field("signing_service", "signing service " + href + " does not exist");
        }
        requireKeyNotRevoked(service);
        return service;
    }

    /** A revoked key signs nothing more (the sign task checks again as it stores each signature). */
    private void requireKeyNotRevoked(SigningService service) {
        String fingerprint = service.fingerprint().toUpperCase(java.util.Locale.ROOT);
        String keyId = SignatureIngest.ATOMIC.equals(service.type()) && fingerprint.length() >= 16
                ? fingerprint.substring(fingerprint.length() - 16) : null;
        revokedKeys.revocationOf(service.type(), keyId, fingerprint, null).ifPresent(r -> {
            String message = "the key of signing service " + service.name() + " (" + r.identity() + ") is revoked: " + r.reason();
            throw new ApiException(400, Map.of("signing_service", List.of(message), "revoked_key", r.href()), message);
        });
    }

    /** A repository name, with a registry host, and neither tag nor digest: tags are appended per signature. */
    private static String reference(String reference) {
        String given = KeyMaterial.required("reference", reference).trim();
        try {
            DockerReference parsed = DockerReference.parseNormalized(given);
            if (!parsed.isNameOnly()) {
                throw ApiException.field("reference", "give a repository without tag or digest, e.g. registry.example.com/ns/image");
            }
            DockerReference.parseNormalized(given + ":latest");
        } catch (IllegalArgumentException e) {
            throw ApiException.field("reference", e.getMessage());
        }
        return given;
    }

    private void requireSomethingToSign(Repository repository, List<String> tags, List<Long> manifests) {
        QuarkusTransaction.requiringNew().run(() -> Sql.with(em, sql -> {
            Repository current = em.find(Repository.class, repository.id);
            VersionQueries version = new VersionQueries(sql, current.id, current.latestVersion);
            if (manifests != null && version.manifestsAmong(manifests).size() != Set.copyOf(manifests).size()) {
                throw ApiException.field("content_units", "only manifests in the latest version can be signed");
            }
            SignPlan.Selection selection = SignPlan.select(version, tags, manifests);
            if (!selection.missingTags().isEmpty()) {
                throw ApiException.field("tags", "not in the latest version: " + String.join(", ", selection.missingTags()));
            }
            if (!selection.untaggedManifests().isEmpty()) {
                throw ApiException.field("content_units", "these manifests have no tag in the latest version, so there is "
                        + "no reference to sign them for: " + selection.untaggedManifests().size() + " manifest(s)");
            }
            if (selection.isEmpty()) {
                throw ApiException.badRequest("nothing to sign: version " + current.latestVersion + " of repository "
                        + current.name + " has no tags other than cosign attachments");
            }
            return null;
        }));
    }
}
