#!/usr/bin/env bash
# What a distribution's signature policy costs a pull. Sigil holds N (default 100000) other signed images (seeded
# straight into the schema by bench/core/seed.sql, so the tables the policy query reads are large) and one image
# pushed with skopeo and signed by an atomic signing service whose key is trusted. Prints manifest GETs by tag with
# the policy off and on (wrk, 1 and 16 connections: requests/s and p99), and EXPLAIN ANALYZE of the one query a pull
# makes under the policy (the text of io.sigil.repository.VersionReader#policyFacts).
# Env: N, DURATION (wrk seconds per run, default 10).
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-100000}
DURATION=${DURATION:-10}
SIGIL_PORT=${SIGIL_PORT:-24913}
DB=sigil_bench_policy_$$
WORK=$(mktemp -d)
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
S=http://127.0.0.1:$SIGIL_PORT/pulp/api/v3
ACCEPT="application/vnd.oci.image.manifest.v1+json"
for tool in wrk skopeo jq curl; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done

./mvnw -q -B package -DskipTests
SIGIL=
cleanup() {
  [ -n "$SIGIL" ] && { kill "$SIGIL" 2>/dev/null || true; wait "$SIGIL" 2>/dev/null || true; }
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT
SIGIL_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB SIGIL_STORAGE=$WORK/sigil SIGIL_PORT=$SIGIL_PORT \
  java -jar target/quarkus-app/quarkus-run.jar > "$WORK/sigil.log" 2>&1 &
SIGIL=$!
for _ in $(seq 1 120); do curl -sf "$S/status/" >/dev/null && break; sleep 1; done

api() { curl -sf -u admin:${SIGIL_ADMIN_PASSWORD:-password} -H 'Content-Type: application/json' "$@"; }
await() { for _ in $(seq 1 600); do
  state=$(api "http://127.0.0.1:$SIGIL_PORT$1" | jq -r .state)
  case $state in completed) return;; failed|canceled) echo "task $1 $state" >&2; exit 1;; esac; sleep 0.5; done; }

BULK=$(api -d '{"name":"bulk"}' "$S/repositories/container/container/" | jq -r .pulp_href)
$PSQL -d "$DB" -v n="$N" -v extra=0 -v repo="'$(basename "$BULK")'" -f bench/core/seed.sql

java bench/registry/MakeImage.java "$WORK/image" 64 > /dev/null
mkdir -p "$WORK/containers/registries.d"
echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$WORK/containers/policy.json"
skopeo --policy "$WORK/containers/policy.json" --registries.d "$WORK/containers/registries.d" copy -q \
  --dest-tls-verify=false --dest-creds admin:${SIGIL_ADMIN_PASSWORD:-password} "oci:$WORK/image:bench" \
  "docker://127.0.0.1:$SIGIL_PORT/bench/policy:v1"
DIST=$(api "$S/distributions/container/container/?base_path=bench/policy" | jq -r '.results[0].pulp_href')
REPO=$(api "$S/distributions/container/container/?base_path=bench/policy" | jq -r '.results[0].repository')
SERVICE=$(api -d '{"name":"bench","type":"atomic","generate":true}' "$S/signing-services/")
await "$(api -d "$(jq -n --arg s "$(jq -r .pulp_href <<<"$SERVICE")" --arg r "127.0.0.1:$SIGIL_PORT/bench/policy" \
  '{signing_service:$s, reference:$r}')" "http://127.0.0.1:$SIGIL_PORT${REPO}sign/" | jq -r .task)"
KEY=$(api -d "$(jq -n --arg k "$(jq -r .public_key <<<"$SERVICE")" '{name:"bench", type:"openpgp", public_key:$k}')" "$S/trusted-keys/")
await "$(jq -r .reverify_task <<<"$KEY")"
$PSQL -d "$DB" -c ANALYZE

URL=http://127.0.0.1:$SIGIL_PORT/v2/bench/policy/manifests/v1
measure() { # $1 connections; prints "req/s p99_ms"
  wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"${DURATION}s" --latency -H "Accept: $ACCEPT" "$URL" > "$WORK/wrk.out"
  if grep -q "Non-2xx" "$WORK/wrk.out"; then echo "non-2xx answers" >&2; cat "$WORK/wrk.out" >&2; exit 1; fi
  awk '/Requests\/sec:/ {r=$2} $1 == "99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v/=1000} else if (v ~ /ms$/) {sub("ms","",v)}
       else if (v ~ /s$/) {sub("s","",v); v*=1000}; p=v} END {print r, p}' "$WORK/wrk.out"
}
wrk -t2 -c16 -d5s -H "Accept: $ACCEPT" "$URL" > /dev/null
echo "== manifest GET by tag, $N other signed images in the database; load: $(uptime | sed 's/.*load/load/')"
printf '%-10s %5s | %10s %9s\n' policy conns "req/s" "p99"
for policy in off on; do
  if [ "$policy" = on ]; then
    api -X PATCH -d "$(jq -n --arg k "$(jq -r .pulp_href <<<"$KEY")" '{signature_policy:{keys:[$k], exact:true}}')" \
      "http://127.0.0.1:$SIGIL_PORT$DIST" > /dev/null
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: $ACCEPT" "$URL")" = 200 ] || { echo "signed image refused" >&2; exit 1; }
  fi
  for c in 1 16; do read -r rps p99 < <(measure "$c"); printf '%-10s %5s | %10.0f %7.2fms\n' "$policy" "$c" "$rps" "$p99"; done
done

echo
echo "== the policy query of one pull (EXPLAIN ANALYZE)"
MANIFEST=$($PSQL -d "$DB" -Atc "SELECT m.id FROM tag t JOIN manifest m ON m.id = t.manifest_id WHERE t.name = 'v1'")
REPO_ID=$($PSQL -d "$DB" -Atc "SELECT id FROM repository WHERE pulp_id = '$(basename "$REPO")'")
$PSQL -d "$DB" -c "EXPLAIN (ANALYZE, COSTS OFF) SELECT m.subject_digest IS NOT NULL OR EXISTS (SELECT 1 FROM signature c
  WHERE c.carrier_manifest_id = m.id), s.id IS NOT NULL, s.docker_reference, v.state, v.key_identity, v.reason,
  v.state = 'VALID' AND (EXISTS (SELECT 1 FROM revoked_key rk WHERE rk.type IN ('openpgp', 'cosign')
  AND rk.identity IN (v.key_identity, s.fingerprint)) OR EXISTS (SELECT 1 FROM revoked_subkey rs
  WHERE rs.key_id = s.key_id OR rs.fingerprint IN (v.key_identity, s.fingerprint)))
  FROM manifest m LEFT JOIN signature s ON s.signed_manifest_id = m.id AND EXISTS (SELECT 1 FROM repository_content rc
  WHERE rc.repository_id = $REPO_ID AND rc.content_id = s.id AND rc.version_removed IS NULL)
  LEFT JOIN signature_verdict v ON v.signature_id = s.id WHERE m.id = $MANIFEST ORDER BY s.id"
