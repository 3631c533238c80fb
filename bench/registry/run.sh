#!/usr/bin/env bash
# Issue 4 benchmark: Sigil's registry against the CNCF docker-registry on this machine.
#  1. The same image pushed to both with skopeo; manifest GETs (by tag) and blob GETs (a LAYER_KIB layer) from both
#     with wrk at 1, 16 and 64 connections: requests/s and p99 latency for each, and Sigil/registry ratios.
#  2. A 1 GiB blob pushed into a Sigil started with -Xmx256m, monolithic and chunked: time and outcome.
# Env: LAYER_KIB (default 1024), DURATION (wrk seconds per run, default 10), BIG_MIB (default 1024).
set -euo pipefail
cd "$(dirname "$0")/../.."
LAYER_KIB=${LAYER_KIB:-1024}
DURATION=${DURATION:-10}
BIG_MIB=${BIG_MIB:-1024}
SIGIL_PORT=${SIGIL_PORT:-24911}
REG_PORT=${REG_PORT:-24912}
DB=sigil_bench_registry_$$
WORK=$(mktemp -d)
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
ACCEPT="application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.v2+json"

for pkg in wrk bc; do
  command -v "$pkg" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg"; }
done
for tool in skopeo docker-registry jq curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

./mvnw -q -B package -DskipTests

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start_sigil() { # $1: extra JVM options
  SIGIL_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB SIGIL_STORAGE=$WORK/sigil SIGIL_PORT=$SIGIL_PORT \
    java $1 -jar target/quarkus-app/quarkus-run.jar > "$WORK/sigil.log" 2>&1 &
  SIGIL=$!
  PIDS+=("$SIGIL")
  for _ in $(seq 1 90); do curl -sf "http://127.0.0.1:$SIGIL_PORT/pulp/api/v3/status/" >/dev/null && return; sleep 1; done
  echo "Sigil did not start" >&2; tail -50 "$WORK/sigil.log" >&2; exit 1
}

stop_sigil() {
  kill "$SIGIL"; wait "$SIGIL" 2>/dev/null || true
}

start_sigil ""
mkdir -p "$WORK/registry"
cat > "$WORK/registry/config.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/registry/storage
http:
  addr: 127.0.0.1:$REG_PORT
YAML
docker-registry serve "$WORK/registry/config.yml" > "$WORK/registry.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 30); do curl -sf "http://127.0.0.1:$REG_PORT/v2/" >/dev/null && break; sleep 0.5; done

echo "== image: one ${LAYER_KIB} KiB layer and one $((LAYER_KIB / 8)) KiB layer"
BLOB=$(java bench/registry/MakeImage.java "$WORK/image" "$LAYER_KIB")
mkdir -p "$WORK/containers/registries.d"
echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$WORK/containers/policy.json"
SKOPEO="skopeo --policy $WORK/containers/policy.json --registries.d $WORK/containers/registries.d"
$SKOPEO copy -q --dest-tls-verify=false "oci:$WORK/image:bench" "docker://127.0.0.1:$REG_PORT/bench/image:bench"
$SKOPEO copy -q --dest-tls-verify=false --dest-creds admin:${SIGIL_ADMIN_PASSWORD:-password} \
  "oci:$WORK/image:bench" "docker://127.0.0.1:$SIGIL_PORT/bench/image:bench"

# wrk prints "Requests/sec: N" and, with --latency, "99% <value><unit>".
measure() { # $1 url; prints "req/s p99_ms"
  local c=$2 t=$(( $2 < 2 ? 1 : 2 ))
  wrk -t"$t" -c"$c" -d"${DURATION}s" --latency -H "Accept: $ACCEPT" "$1" > "$WORK/wrk.out"
  local rps p99
  rps=$(awk '/Requests\/sec:/ {print $2}' "$WORK/wrk.out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v/=1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v*=1000}; print v}' "$WORK/wrk.out")
  if grep -q "Non-2xx" "$WORK/wrk.out"; then echo "non-2xx answers from $1" >&2; cat "$WORK/wrk.out" >&2; exit 1; fi
  echo "$rps $p99"
}

# Warm both servers up (JIT, connection pools, page cache) before anything is measured.
for url in "http://127.0.0.1:$SIGIL_PORT/v2/bench/image/manifests/bench" "http://127.0.0.1:$SIGIL_PORT/v2/bench/image/blobs/$BLOB" \
           "http://127.0.0.1:$REG_PORT/v2/bench/image/manifests/bench" "http://127.0.0.1:$REG_PORT/v2/bench/image/blobs/$BLOB"; do
  wrk -t2 -c16 -d5s -H "Accept: $ACCEPT" "$url" > /dev/null
done

echo
printf '%-9s %5s | %12s %10s | %12s %10s | %9s %9s\n' what conns "sigil req/s" "sigil p99" "reg req/s" "reg p99" "rps ratio" "p99 ratio"
for what in manifest blob; do
  if [ "$what" = manifest ]; then path=/v2/bench/image/manifests/bench; else path=/v2/bench/image/blobs/$BLOB; fi
  for c in 1 16 64; do
    read -r s_rps s_p99 < <(measure "http://127.0.0.1:$SIGIL_PORT$path" "$c")
    read -r r_rps r_p99 < <(measure "http://127.0.0.1:$REG_PORT$path" "$c")
    printf '%-9s %5s | %12.0f %8.2fms | %12.0f %8.2fms | %9.2f %9.2f\n' "$what" "$c" "$s_rps" "$s_p99" "$r_rps" "$r_p99" \
      "$(echo "$s_rps / $r_rps" | bc -l)" "$(echo "$s_p99 / $r_p99" | bc -l)"
  done
done
echo "(ratios are Sigil / docker-registry: rps above 1 and p99 below 1 favour Sigil; blob layer is ${LAYER_KIB} KiB)"

echo
echo "== ${BIG_MIB} MiB blob pushed into Sigil running with -Xmx256m"
stop_sigil
start_sigil "-Xmx256m"
head -c "$((BIG_MIB * 1024 * 1024))" /dev/urandom > "$WORK/big"
BIG_DIGEST=sha256:$(sha256sum "$WORK/big" | cut -d' ' -f1)
base=http://127.0.0.1:$SIGIL_PORT
token() {
  curl -sf -u admin:${SIGIL_ADMIN_PASSWORD:-password} \
    "$base/token?service=127.0.0.1:$SIGIL_PORT&scope=repository:$1:pull,push" | jq -r .token
}
check_blob() { # $1 repository
  local size
  size=$(curl -s -I -H "Authorization: Bearer $(token "$1")" "$base/v2/$1/blobs/$BIG_DIGEST" | tr -d '\r' \
    | awk 'tolower($1) == "content-length:" {print $2}')
  [ "$size" = "$((BIG_MIB * 1024 * 1024))" ] && echo "ok (HEAD reports $size bytes)" || echo "FAILED (HEAD size '$size')"
}

TOKEN=$(token bench/mono)
start=$(date +%s.%N)
# -T - streams stdin (chunked transfer encoding); -T FILE would append the file name to a URL ending in '/'.
status=$(curl -s -o "$WORK/mono.out" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/octet-stream' -T - "$base/v2/bench/mono/blobs/uploads/?digest=$BIG_DIGEST" < "$WORK/big")
end=$(date +%s.%N)
printf 'monolithic: HTTP %s in %.1f s (%.0f MiB/s), ' "$status" "$(echo "$end - $start" | bc)" \
  "$(echo "$BIG_MIB / ($end - $start)" | bc -l)"
check_blob bench/mono

TOKEN=$(token bench/chunked)
CHUNK_MIB=64
start=$(date +%s.%N)
location=$(curl -sf -D - -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" "$base/v2/bench/chunked/blobs/uploads/" \
  | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
offset=0
while [ "$offset" -lt "$BIG_MIB" ]; do
  first=$((offset * 1024 * 1024)); last=$(((offset + CHUNK_MIB) * 1024 * 1024 - 1))
  dd if="$WORK/big" bs=1M skip="$offset" count="$CHUNK_MIB" status=none \
    | curl -sf -o /dev/null -X PATCH -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/octet-stream' \
        -H "Content-Range: $first-$last" -T - "$base$location"
  offset=$((offset + CHUNK_MIB))
done
status=$(curl -s -o "$WORK/chunked.out" -w '%{http_code}' -X PUT -H "Authorization: Bearer $TOKEN" \
  "$base$location?digest=$BIG_DIGEST")
end=$(date +%s.%N)
printf 'chunked (%d x %d MiB PATCH): HTTP %s in %.1f s (%.0f MiB/s), ' "$((BIG_MIB / CHUNK_MIB))" "$CHUNK_MIB" "$status" \
  "$(echo "$end - $start" | bc)" "$(echo "$BIG_MIB / ($end - $start)" | bc -l)"
check_blob bench/chunked
grep -q OutOfMemoryError "$WORK/sigil.log" && echo "Sigil ran out of memory" || echo "no OutOfMemoryError in Sigil's log"
