/**
 * Signing and the signature policy, on top of repositories: signing services (keys Sigil holds or scripts it runs),
 * the sign task that adds signatures to a new repository version, the pull gate that refuses unsigned manifests, and
 * the signature reports.
 *
 * <p>The formats themselves, their parsing and their verification live in {@link io.sigil.signature}, which knows
 * nothing about repositories.
 */
package io.sigil.signing;
