#!/usr/bin/env bash
# Issue 5 benchmark: atomic (OpenPGP RSA 3072) and cosign (ECDSA P-256) signatures signed and verified per second
# for N (default 10,000) manifest digests with Sigil's signing code, next to gpg --sign / gpg --verify of the same
# payloads (GPG_N, default 300, one gpg process per payload as a Pulp signing script runs it).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-10000}
GPG_N=${GPG_N:-300}
[ -d target/classes/io/sigil/signing ] || ./mvnw -q -B compile
CP=$(./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime)
WORK=$(mktemp -d /tmp/sigil-bench.XXXXXX)
trap 'GNUPGHOME=$WORK/gnupg gpgconf --kill gpg-agent 2>/dev/null || true; rm -rf "$WORK"' EXIT
java -cp "target/classes:$CP" bench/signing/SigningBench.java "$N" "$GPG_N" "$WORK"
