"""pulp-glue contexts for Sigil's own resources: trusted keys, signing services, revoked keys, signatures."""

import typing as t

from pulp_glue.common.context import (
    EntityDefinition,
    PluginRequirement,
    PulpEntityContext,
    PulpViewSetContext,
)
from pulp_glue.container.context import (
    PulpContainerDistributionContext,
    PulpContainerRepositoryContext,
    PulpContainerRepositoryVersionContext,
)

SIGIL = PluginRequirement("sigil", feature="Sigil's signature features")


class PulpTrustedKeyContext(PulpEntityContext):
    ENTITY = "trusted key"
    ENTITIES = "trusted keys"
    HREF = "trusted_key_href"
    ID_PREFIX = "trusted_keys"
    HREF_PATTERN = r"trusted-keys/"
    NEEDS_PLUGINS = [SIGIL]


class PulpSigningServiceContext(PulpEntityContext):
    ENTITY = "signing service"
    ENTITIES = "signing services"
    HREF = "signing_service_href"
    ID_PREFIX = "signing_services"
    HREF_PATTERN = r"signing-services/"
    NEEDS_PLUGINS = [SIGIL]


class PulpRevokedKeyContext(PulpEntityContext):
    ENTITY = "revoked key"
    ENTITIES = "revoked keys"
    HREF = "revoked_key_href"
    ID_PREFIX = "revoked_keys"
    HREF_PATTERN = r"revoked-keys/"
    NEEDS_PLUGINS = [SIGIL]

    def lift(self) -> t.Any:
        """Lifts the revocation: the key's signatures are accepted again."""
        return self.call("delete", parameters={self.HREF: self.pulp_href})


class PulpSignaturesContext(PulpViewSetContext):
    """Signature actions that belong to no single entity."""

    ID_PREFIX = "signatures"
    NEEDS_PLUGINS = [SIGIL]

    def invalidate(self, body: EntityDefinition) -> t.Any:
        return self.call("invalidate", body=body)


def sign(
    repository_ctx: PulpContainerRepositoryContext,
    signing_service_href: str,
    reference: str | None,
    tags: list[str] | None,
) -> t.Any:
    """Signs the tagged manifests of the repository's latest version (a task, awaited)."""
    repository_ctx.pulp_ctx.needs_plugin(SIGIL)
    body: dict[str, t.Any] = {"signing_service": signing_service_href}
    if reference:
        body["reference"] = reference
    if tags:
        body["tags"] = tags
    return repository_ctx.call("sign", parameters={repository_ctx.HREF: repository_ctx.pulp_href}, body=body)


def signature_report(
    version_ctx: PulpContainerRepositoryVersionContext, reference: str | None
) -> list[t.Any]:
    """Every page of a version's signature report: each tag, its signatures, their verdicts and identity match."""
    version_ctx.pulp_ctx.needs_plugin(SIGIL)
    parameters: dict[str, t.Any] = {version_ctx.HREF: version_ctx.pulp_href, "offset": 0, "limit": 100}
    if reference:
        parameters["reference"] = reference
    results: list[t.Any] = []
    while True:
        page = version_ctx.call("signature_report", parameters=parameters)
        results.extend(page["results"])
        if page["next"] is None:
            return results
        parameters["offset"] += len(page["results"])


def set_policy(
    distribution_ctx: PulpContainerDistributionContext, policy: dict[str, t.Any] | None
) -> t.Any:
    """Sets (or with None removes) a distribution's signature policy."""
    distribution_ctx.pulp_ctx.needs_plugin(SIGIL)
    return distribution_ctx.call(
        "partial_update",
        parameters={distribution_ctx.HREF: distribution_ctx.pulp_href},
        body={"signature_policy": policy},
    )
