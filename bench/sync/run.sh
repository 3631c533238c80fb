#!/usr/bin/env bash
# Issue 6 benchmark: an upstream docker-registry with N tags (default 1000), each a tiny image signed through a
# lookaside store served by nginx when installed (else python3 http.server, HTTP/1.1). Mirrors it with Sigil's
# sync and with `skopeo sync` (reading the lookaside and cosign attachments), then re-syncs with Sigil twice with
# nothing changed, then once more after the server has settled. Prints the times, their ratios and the CPU each
# re-sync cost Sigil, the registry and the lookaside server.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-1000}
LAYER_BYTES=${LAYER_BYTES:-512} # each image's one layer; tiny images make the first sync cheap, the hardest case for the re-sync ratio
PORT=${PORT:-24902}
CONCURRENCY=${CONCURRENCY:-} # the remote's download_concurrency; empty: Sigil's default
REGISTRY_PORT=${REGISTRY_PORT:-25902}
LOOKASIDE_PORT=${LOOKASIDE_PORT:-26902}
DB=sigil_syncbench_$$
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
WORK=$(mktemp -d /tmp/syncbench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  GNUPGHOME=$WORK/gnupg gpgconf --kill gpg-agent 2>/dev/null || true
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT
now() { date +%s.%N; }

# Upstream: docker-registry (with the in-memory blob descriptor cache of the package's own config.yml), a throw-away
# gpg key, the lookaside directory served by a plain web server.
cat > "$WORK/registry.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {cache: {blobdescriptor: inmemory}, filesystem: {rootdirectory: $WORK/registry}}
http: {addr: 127.0.0.1:$REGISTRY_PORT}
YML
docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 & PIDS+=($!)
mkdir -m 700 "$WORK/gnupg" && mkdir "$WORK/lookaside"
export GNUPGHOME=$WORK/gnupg
gpg --batch --passphrase '' --quick-gen-key 'Sync Bench <bench@example.com>' rsa2048 sign never 2>/dev/null
FPR=$(gpg --with-colons --list-keys | awk -F: '/^fpr/ {print $10; exit}')
serve_lookaside() {
  if command -v nginx > /dev/null; then # a real web server, as lookaside stores are served in practice
    mkdir "$WORK/nginx"
    cat > "$WORK/nginx/nginx.conf" <<CONF
user root;
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 127.0.0.1:$LOOKASIDE_PORT; root $WORK/lookaside; keepalive_requests 100000; }
}
CONF
    exec nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;'
  fi
  cd "$WORK/lookaside" && exec python3 -m http.server "$LOOKASIDE_PORT" --bind 127.0.0.1 --protocol HTTP/1.1
}
serve_lookaside > "$WORK/lookaside.log" 2>&1 & PIDS+=($!)
LOOKASIDE_SERVER=$(command -v nginx > /dev/null && echo nginx || echo "python3 http.server")
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$REGISTRY_PORT/v2/" > /dev/null && break; sleep 0.2; done
echo "seeding $N signed images ($LAYER_BYTES-byte layers)..."
python3 bench/sync/seed.py "http://127.0.0.1:$REGISTRY_PORT" bench "$N" "$WORK/lookaside" "$FPR" "$LAYER_BYTES"

# Sigil, packaged.
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
mkdir "$WORK/storage"
SIGIL_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB SIGIL_STORAGE=$WORK/storage SIGIL_PORT=$PORT \
  java -jar target/quarkus-app/quarkus-run.jar > "$WORK/sigil.log" 2>&1 & PIDS+=($!)
API=http://127.0.0.1:$PORT/pulp/api/v3
AUTH=admin:${SIGIL_ADMIN_PASSWORD:-password}
for _ in $(seq 1 120); do curl -sf "$API/status/" > /dev/null && break; sleep 0.5; done
post() { curl -sf -u "$AUTH" -H 'Content-Type: application/json' -d "$2" "$API$1"; }
REPO=$(post /repositories/container/container/ '{"name":"bench"}' | jq -r .pulp_href)
KEY=$(gpg --armor --export "$FPR" | jq -Rs .)
REMOTE=$(post /remotes/container/container/ "{\"name\":\"bench\",\"url\":\"http://127.0.0.1:$REGISTRY_PORT\",
  \"upstream_name\":\"bench\",\"sigstore\":\"http://127.0.0.1:$LOOKASIDE_PORT\",\"verify_with\":[$KEY]
  ${CONCURRENCY:+,\"download_concurrency\":$CONCURRENCY}}" | jq -r .pulp_href)
sync() {
  local task state
  task=$(curl -sf -u "$AUTH" -H 'Content-Type: application/json' -d "{\"remote\":\"$REMOTE\"}" \
    "http://127.0.0.1:$PORT${REPO}sync/" | jq -r .task)
  while state=$(curl -sf -u "$AUTH" "http://127.0.0.1:$PORT$task" | jq -r .state); [[ $state == waiting || $state == running ]]; do
    sleep 0.1
  done
  curl -sf -u "$AUTH" "http://127.0.0.1:$PORT$task" > "$WORK/task.json"
  [[ $state == completed ]] || { jq . "$WORK/task.json" >&2; exit 1; }
}
START=$(now); sync; SIGIL=$(echo "$(now) - $START" | bc)
jq -c '{version: .result.version, tags: .result.tags.synced, blobs: .result.blobs.downloaded, timings: .result.timings_ms,
  signatures: .result.signatures.by_verdict}' "$WORK/task.json"
# CPU seconds a process and its children (nginx's workers) have used: where a re-sync's time goes on a shared machine.
cpu() {
  local ticks=0 pid fields
  for pid in "$1" $(pgrep -P "$1"); do
    fields=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f12,13) || continue
    ticks=$((ticks + ${fields% *} + ${fields#* }))
  done
  echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc
}
REGISTRY_PID=${PIDS[0]} LOOKASIDE_PID=${PIDS[1]} SIGIL_PID=${PIDS[2]}
resync() {
  local before=($(cpu "$SIGIL_PID") $(cpu "$REGISTRY_PID") $(cpu "$LOOKASIDE_PID"))
  START=$(now); sync; echo "$(now) - $START" | bc
  local after=($(cpu "$SIGIL_PID") $(cpu "$REGISTRY_PID") $(cpu "$LOOKASIDE_PID"))
  jq -c '{version: .result.version, manifests_downloaded: .result.manifests.downloaded, timings: .result.timings_ms,
    blobs_downloaded: .result.blobs.downloaded}' "$WORK/task.json" >&2
  printf 'CPU used: sigil %.2f s, registry %.2f s, lookaside server %.2f s\n' "$(echo "${after[0]} - ${before[0]}" | bc)" \
    "$(echo "${after[1]} - ${before[1]}" | bc)" "$(echo "${after[2]} - ${before[2]}" | bc)" >&2
}
# The first re-sync follows the first sync in a freshly started JVM; the second shows a server that has run one before.
RESYNC=$(resync)
RESYNC_WARM=$(resync)
# Scheduled re-syncs do not follow a sync back to back: once the JVM has compiled what the first sync made hot (its
# CPU idle for a second, at most a minute), a third re-sync shows what one costs on a settled server.
settle() {
  local before after
  for _ in $(seq 1 60); do
    before=$(cpu "$SIGIL_PID"); sleep 1; after=$(cpu "$SIGIL_PID")
    [ "$(echo "$after - $before < 0.05" | bc)" = 1 ] && return
  done
}
settle
RESYNC_SETTLED=$(resync)

# skopeo sync, reading the same lookaside and the cosign attachments, into a dir: layout (signatures included).
mkdir -p "$WORK/skopeo/registries.d" "$WORK/skopeo/out"
cat > "$WORK/skopeo/registries.d/bench.yaml" <<YML
docker:
  127.0.0.1:$REGISTRY_PORT:
    lookaside: http://127.0.0.1:$LOOKASIDE_PORT
    use-sigstore-attachments: true
YML
echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$WORK/skopeo/policy.json"
START=$(now)
skopeo --policy "$WORK/skopeo/policy.json" --registries.d "$WORK/skopeo/registries.d" sync --src docker --dest dir \
  --src-tls-verify=false "127.0.0.1:$REGISTRY_PORT/bench" "$WORK/skopeo/out" > "$WORK/skopeo.log" 2>&1
SKOPEO=$(echo "$(now) - $START" | bc)
COPIED=$(find "$WORK/skopeo/out" -name 'signature-1' | wc -l)

echo "lookaside served by $LOOKASIDE_SERVER"
printf 'N=%d layers of %d bytes  sigil sync: %.1f s  skopeo sync: %.1f s (%d signatures copied)  sigil/skopeo: %.2f\n' \
  "$N" "$LAYER_BYTES" "$SIGIL" "$SKOPEO" "$COPIED" "$(echo "$SIGIL / $SKOPEO" | bc -l)"
printf 'no-change re-sync: %.2f s = %.1f%% of the first sync; again: %.2f s = %.1f%%; settled: %.2f s = %.1f%%\n' \
  "$RESYNC" "$(echo "100 * $RESYNC / $SIGIL" | bc -l)" "$RESYNC_WARM" "$(echo "100 * $RESYNC_WARM / $SIGIL" | bc -l)" \
  "$RESYNC_SETTLED" "$(echo "100 * $RESYNC_SETTLED / $SIGIL" | bc -l)"
