"""`pulp sigil ...` and `pulp container repository sign`: Sigil's trust and signing features from pulp-cli."""

import typing as t

import click

from pulp_glue.container.context import (
    PulpContainerDistributionContext,
    PulpContainerRepositoryContext,
)
from pulp_glue.sigil.context import (
    PulpRevokedKeyContext,
    PulpSignaturesContext,
    PulpSigningServiceContext,
    PulpTrustedKeyContext,
    set_policy,
    sign,
    signature_report,
)

from pulp_cli.generic import (
    PulpCLIContext,
    create_command,
    destroy_command,
    href_option,
    list_command,
    load_string_callback,
    name_option,
    pass_pulp_context,
    pulp_group,
    pulp_option,
    show_command,
)

__version__ = "0.1.0"


def _entity(ctx_class: type, pulp_ctx: PulpCLIContext, value: str) -> t.Any:
    """An entity context found by name, or by href when the value starts with '/'."""
    entity_ctx = ctx_class(pulp_ctx)
    if value.startswith("/"):
        entity_ctx.pulp_href = value
    else:
        entity_ctx.entity = {"name": value}
    return entity_ctx


@pulp_group()
def sigil() -> None:
    """Sigil: trusted keys, signing services, signature reports, invalidation and pull policies."""


# trusted-key


@sigil.group(name="trusted-key")
@pass_pulp_context
@click.pass_context
def trusted_key(ctx: click.Context, pulp_ctx: PulpCLIContext, /) -> None:
    """Keys whose signatures Sigil accepts."""
    ctx.obj = PulpTrustedKeyContext(pulp_ctx)


lookup = [href_option, name_option]
trusted_key.add_command(
    list_command(
        decorators=[
            pulp_option("--name"),
            pulp_option("--type", type=click.Choice(["openpgp", "cosign", "keyless", "pki"])),
            pulp_option("--fingerprint"),
        ]
    )
)
trusted_key.add_command(show_command(decorators=lookup))
trusted_key.add_command(destroy_command(decorators=lookup))
trusted_key.add_command(
    create_command(
        decorators=[
            click.option("--name", required=True),
            click.option(
                "--type", type=click.Choice(["openpgp", "cosign", "keyless", "pki"]), default="openpgp",
                show_default=True,
            ),
            click.option("--public-key", callback=load_string_callback, help="Key text, or @file."),
            click.option("--fulcio-ca", callback=load_string_callback, help="keyless: Fulcio CA bundle, or @file."),
            click.option("--rekor-public-key", callback=load_string_callback, help="Rekor key, or @file."),
            click.option("--oidc-issuer"),
            click.option("--subject", help="keyless/pki: the signer's e-mail."),
            click.option("--ca-roots", callback=load_string_callback, help="pki: root CAs, or @file."),
            click.option("--ca-intermediates", callback=load_string_callback, help="pki: intermediates, or @file."),
            click.option("--subject-hostname"),
        ]
    )
)



# signing-service


@sigil.group(name="signing-service")
@pass_pulp_context
@click.pass_context
def signing_service(ctx: click.Context, pulp_ctx: PulpCLIContext, /) -> None:
    """Services that sign manifests for Sigil."""
    ctx.obj = PulpSigningServiceContext(pulp_ctx)


signing_service.add_command(list_command(decorators=[pulp_option("--name")]))
signing_service.add_command(show_command(decorators=lookup))
signing_service.add_command(
    create_command(
        decorators=[
            click.option("--name", required=True),
            click.option("--type", type=click.Choice(["atomic", "cosign"]), default="atomic", show_default=True),
            click.option("--generate/--no-generate", default=None, help="Generate a new key inside Sigil."),
            click.option("--private-key", callback=load_string_callback, help="Key to import, or @file."),
            click.option("--passphrase"),
            click.option("--user-id", help="OpenPGP user id of a generated key."),
            click.option("--script", help="Path of a Pulp-style signing script."),
            click.option("--public-key", callback=load_string_callback, help="The script's public key, or @file."),
        ]
    )
)

# revoked-key


@sigil.group(name="revoked-key")
@pass_pulp_context
@click.pass_context
def revoked_key(ctx: click.Context, pulp_ctx: PulpCLIContext, /) -> None:
    """Keys whose signatures Sigil refuses and removed."""
    ctx.obj = PulpRevokedKeyContext(pulp_ctx)


revoked_key.add_command(list_command())
revoked_key.add_command(show_command(decorators=[href_option]))


@revoked_key.command(name="lift")
@click.option("--href", required=True, help="HREF of the revocation.")
@pass_pulp_context
def lift(pulp_ctx: PulpCLIContext, /, href: str) -> None:
    """Lift a revocation: the key's signatures are accepted again (removed ones do not come back)."""
    revoked = PulpRevokedKeyContext(pulp_ctx, pulp_href=href)
    revoked.lift()


# invalidate


@sigil.command(name="invalidate")
@click.option("--fingerprint", "key", help="Fingerprint or key ID of the key to revoke.")
@click.option("--reason", required=True, help="Why, recorded with the revocation.")
@click.option("--repository", "repositories", multiple=True, help="Limit to these repositories (name or href).")
@click.option("--manifest", "manifests", multiple=True, help="Limit to signatures of these manifest digests.")
@pass_pulp_context
def invalidate(
    pulp_ctx: PulpCLIContext, /, key: str | None, reason: str, repositories: tuple[str, ...],
    manifests: tuple[str, ...],
) -> None:
    """Revoke a key and remove its signatures from every repository (one new version each; a task)."""
    body: dict[str, t.Any] = {"reason": reason}
    if key:
        body["key"] = key
    if repositories:
        body["repositories"] = [
            _entity(PulpContainerRepositoryContext, pulp_ctx, r).pulp_href for r in repositories
        ]
    if manifests:
        body["manifests"] = list(manifests)
    pulp_ctx.output_result(PulpSignaturesContext(pulp_ctx).invalidate(body))


# signature report


@sigil.group(name="signature")
def signature() -> None:
    """Signatures and their verdicts."""


@signature.command(name="report")
@click.option("--repository", required=True, help="Repository name or href.")
@click.option("--version", type=int, help="Version number; the latest when omitted.")
@click.option("--reference", help="The repository identity signatures are matched against (host/path).")
@pass_pulp_context
def report(pulp_ctx: PulpCLIContext, /, repository: str, version: int | None, reference: str | None) -> None:
    """For each tag: its signatures, their verdicts and whether each names reference:tag."""
    repository_ctx = _entity(PulpContainerRepositoryContext, pulp_ctx, repository)
    version_ctx = repository_ctx.get_version_context()
    if version is None:
        version_ctx.pulp_href = repository_ctx.entity["latest_version_href"]
    else:
        version_ctx.pulp_href = f"{repository_ctx.pulp_href}versions/{version}/"
    pulp_ctx.output_result(signature_report(version_ctx, reference))


# distribution policy


@sigil.group(name="distribution")
def distribution() -> None:
    """Sigil's settings of container distributions."""


@distribution.group(name="policy")
def policy() -> None:
    """The signature policy pulls through a distribution must pass."""


@policy.command(name="set")
@click.option("--distribution", "name", required=True, help="Distribution name or href.")
@click.option("--key", "keys", multiple=True, required=True, help="Trusted key (name or href) whose signature is needed.")
@click.option("--exact/--no-exact", default=False, help="Signatures must name the pulled repository and tag.")
@click.option("--reference", help="Identity to check against instead of <host>/<base path>.")
@pass_pulp_context
def policy_set(
    pulp_ctx: PulpCLIContext, /, name: str, keys: tuple[str, ...], exact: bool, reference: str | None
) -> None:
    """Require a valid signature by one of the keys for every manifest pulled."""
    distribution_ctx = _entity(PulpContainerDistributionContext, pulp_ctx, name)
    hrefs = [_entity(PulpTrustedKeyContext, pulp_ctx, k).pulp_href for k in keys]
    set_policy(distribution_ctx, {"keys": hrefs, "exact": exact, "reference": reference})
    pulp_ctx.output_result(distribution_ctx.show(distribution_ctx.pulp_href))


@policy.command(name="unset")
@click.option("--distribution", "name", required=True, help="Distribution name or href.")
@pass_pulp_context
def policy_unset(pulp_ctx: PulpCLIContext, /, name: str) -> None:
    """Serve every manifest again, signed or not."""
    distribution_ctx = _entity(PulpContainerDistributionContext, pulp_ctx, name)
    set_policy(distribution_ctx, None)
    pulp_ctx.output_result(distribution_ctx.show(distribution_ctx.pulp_href))


# pulp container repository sign


@click.command(name="sign")
@click.option("--name", "repository", required=True, help="Repository name or href.")
@click.option("--signing-service", required=True, help="Signing service name or href.")
@click.option("--reference", help="The host/path signatures name (docker-reference); default the repository's.")
@click.option("--tag", "tags", multiple=True, help="Sign only these tags.")
@pass_pulp_context
def sign_command(
    pulp_ctx: PulpCLIContext, /, repository: str, signing_service: str, reference: str | None,
    tags: tuple[str, ...],
) -> None:
    """Sign the tagged manifests of the latest version with a signing service (one new version; a task)."""
    repository_ctx = _entity(PulpContainerRepositoryContext, pulp_ctx, repository)
    service = _entity(PulpSigningServiceContext, pulp_ctx, signing_service)
    pulp_ctx.output_result(sign(repository_ctx, service.pulp_href, reference, list(tags) or None))


def mount(main: click.Group, **kwargs: t.Any) -> None:
    """Called by pulp-cli for the entry point `pulp_cli.plugins: sigil`."""
    # The container plugin's repository group is one module-level object, whichever plugin is mounted first.
    from pulpcore.cli.container.repository import repository

    repository.add_command(sign_command)
    main.add_command(sigil)
