package io.sigil.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.sigil.auth.AccessLevel;
import io.sigil.auth.Authorized;
import io.sigil.signature.TrustedKey;
import io.sigil.signature.TrustedKeys;
import io.sigil.auth.Perm;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * Public keys Sigil trusts when it verifies signatures. Creating or deleting one re-verifies every signature in a
 * task ({@code signatures.reverify}); its href is {@code reverify_task} on creation and {@code task} on deletion.
 * Keyless trust (Fulcio CA, Rekor key, OIDC issuer and subject e-mail) verifies cosign signatures carrying a Fulcio
 * certificate and a Rekor SET; PKI trust (root and intermediate CAs, subject e-mail and/or hostname) those carrying
 * a certificate from that PKI. Changing what is trusted needs an admin.
 */
@Path(TrustedKey.COLLECTION)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TrustedKeysResource {

    @Inject
    TrustedKeys keys;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrustedKeyView(String pulpHref, OffsetDateTime pulpCreated, String name, String type, String fingerprint,
                                 List<SubkeyView> subkeys, String publicKey, String fulcioCa, String rekorPublicKey,
                                 String oidcIssuer, String subject, String caRoots, String caIntermediates,
                                 String subjectHostname, List<String> trustedIdentities, String verificationLevel,
                                 String trustedRoot, String reverifyTask) {
        static TrustedKeyView of(TrustedKey k, String reverifyTask) {
            return new TrustedKeyView(k.href(), k.created(), k.name(), k.type(), k.fingerprint(),
                    TrustedKey.OPENPGP.equals(k.type()) ? k.subkeys().stream().map(SubkeyView::of).toList() : null, k.publicKey(), k.fulcioCa(),
                    k.rekorPublicKey(), k.oidcIssuer(), k.subject(), k.caRoots(), k.caIntermediates(), k.subjectHostname(),
                    k.trustedIdentities(), k.verificationLevel(), k.trustedRoot(), reverifyTask);
        }
    }

    /** A key of an OpenPGP key ring (the primary key first) and the 16-digit key ID signatures name it by. */
    public record SubkeyView(String fingerprint, String key_id) {
        static SubkeyView of(TrustedKey.Subkey s) {
            return new SubkeyView(s.fingerprint(), s.keyId());
        }
    }

    @GET
    @Operation(summary = "List trusted keys, filtered by type, name or fingerprint (primary, subkey, or 16-digit key ID)")
    public Page<TrustedKeyView> list(@QueryParam("type") String type, @QueryParam("name") String name,
                                     @QueryParam("fingerprint") String fingerprint, @QueryParam("limit") String limit,
                                     @QueryParam("offset") String offset, @Context UriInfo uri) {
        PageRequest page = PageRequest.of(limit, offset);
        TrustedKeys.KeyPage found = keys.list(type, name, fingerprint, page.limit(), page.offset());
        return Page.of(uri, page, found.count(), found.keys().stream().map(k -> TrustedKeyView.of(k, null)).toList());
    }

    @POST
    @ResponseStatus(201)
    @Authorized(value = AccessLevel.WRITE, permission = Perm.MANAGE_TRUST)
    @Operation(summary = "Trust a key: type openpgp (public_key armoured, or base64 of binary), cosign (public_key PEM, "
            + "ECDSA P-256 or RSA; optional rekor_public_key to require a Rekor SET), keyless (fulcio_ca, "
            + "rekor_public_key, oidc_issuer, subject e-mail) or pki (ca_roots, optional ca_intermediates, subject "
            + "e-mail and/or subject_hostname) or notation (ca_roots: the trust store; trusted_identities: * or "
            + "x509.subject:<DN> entries; verification_level strict (default), permissive or audit) or sigstore "
            + "(trusted_root: trusted_root.json, with public_key or oidc_issuer and subject) for Sigstore bundles")
    public TrustedKeyView create(@Valid @NotNull(message = "A JSON object is required.") TrustedKeys.KeyRequest request) {
        TrustedKeys.Created created = keys.create(request);
        return TrustedKeyView.of(created.key(), created.reverify().href());
    }

    @GET
    @Path("{id}/")
    @Operation(summary = "Read a trusted key")
    public TrustedKeyView get(@PathParam("id") UUID id) {
        return TrustedKeyView.of(keys.get(id), null);
    }

    @DELETE
    @ResponseStatus(202)
    @Authorized(value = AccessLevel.WRITE, permission = Perm.MANAGE_TRUST)
    @Path("{id}/")
    @Operation(summary = "Stop trusting a key; answers 202 with the re-verification task")
    public AsyncOperationResponse delete(@PathParam("id") UUID id) {
        return RepositoryResource.accepted(keys.delete(id));
    }
}
