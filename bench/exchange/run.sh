#!/usr/bin/env bash
# Issue 8 benchmark: exports SIZE_MB (default 2048) of content from one Sigil and imports it into another (own
# databases and storage), and prints MB/s for both next to tar writing and reading the same files on the same disk,
# with the peak heap of each Sigil process (sampled with jstat). Content: images of one BLOB_MB random layer each,
# seeded as real blob files plus units via SQL (only the fixture is made that way; export and import go through
# the REST API).
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE_MB=${SIZE_MB:-2048}
BLOB_MB=${BLOB_MB:-64}
CHUNK=${CHUNK:-1GB}
HEAP=${HEAP:-512m}
PORT=${PORT:-24911}
N=$(( SIZE_MB / BLOB_MB ))
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
WORK=$(mktemp -d "${BENCH_DIR:-/tmp}/sigil-exchange-bench.XXXX")
DB_A=sigil_xbench_a_$$
DB_B=sigil_xbench_b_$$
AUTH=admin:${SIGIL_ADMIN_PASSWORD:-password}
SERVER=
SAMPLER=

cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; }
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB_A WITH (FORCE)" -c "DROP DATABASE IF EXISTS $DB_B WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
mkdir -p "$WORK/a" "$WORK/b" "$WORK/exchange"

start() { # db storage
  SIGIL_DB_URL=jdbc:postgresql://127.0.0.1:5432/$1 SIGIL_STORAGE=$2 SIGIL_PORT=$PORT SIGIL_TASK_WORKERS=1 \
  SIGIL_EXCHANGE_ALLOWED_EXPORT_PATHS=$WORK/exchange SIGIL_EXCHANGE_ALLOWED_IMPORT_PATHS=$WORK/exchange \
    java -Xmx$HEAP -jar target/quarkus-app/quarkus-run.jar > "$2/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/pulp/api/v3/status/" >/dev/null && break; sleep 1; done
  # Peak heap: jstat samples of used survivor + eden + old space, in KB.
  (jstat -gc "$SERVER" 250 2>/dev/null | awk 'NR>1 {print $3+$4+$6+$8; fflush()}' > "$2/heap.txt") &
  SAMPLER=$!
}
stop() {
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  sleep 1; kill "$SAMPLER" 2>/dev/null || true; SAMPLER=
}
peak_heap_mb() { sort -n "$1/heap.txt" | tail -1 | awk '{printf "%.0f", $1/1024}'; }
api() { curl -sf -u "$AUTH" -H 'Content-Type: application/json' "$@"; }
await() { # task href -> prints the task when finished
  while :; do
    T=$(api "http://127.0.0.1:$PORT$1")
    case $(jq -r .state <<<"$T") in waiting|running) sleep 0.2;; *) echo "$T"; return;; esac
  done
}
now() { date +%s.%N; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.0f", b / 1048576 / s}'; }

echo "seeding $N images of one $BLOB_MB MiB random layer ($SIZE_MB MiB) into Sigil A..."
start "$DB_A" "$WORK/a"
REPO=$(api -d '{"name":"bench/big"}' "http://127.0.0.1:$PORT/pulp/api/v3/repositories/container/container/" | jq -r .pulp_href)
SQL="$WORK/seed.sql"
echo "BEGIN;" > "$SQL"
put_blob() { # file -> prints hex; moves the file into A's storage
  local hex; hex=$(sha256sum "$1" | cut -d' ' -f1)
  mkdir -p "$WORK/a/blobs/sha256/${hex:0:2}"; mv "$1" "$WORK/a/blobs/sha256/${hex:0:2}/$hex"; echo "$hex"
}
for i in $(seq 1 "$N"); do
  head -c "${BLOB_MB}M" /dev/urandom > "$WORK/layer"
  LAYER=$(put_blob "$WORK/layer"); LSIZE=$(( BLOB_MB * 1048576 ))
  printf '{"architecture":"amd64","os":"linux","image":%d}' "$i" > "$WORK/config"
  CSIZE=$(stat -c %s "$WORK/config"); CONFIG=$(put_blob "$WORK/config")
  MANIFEST=$(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%d}]}' "$CONFIG" "$CSIZE" "$LAYER" "$LSIZE")
  cat >> "$SQL" <<SQL
WITH c AS (INSERT INTO content (pulp_id, pulp_type) VALUES (gen_random_uuid(), 'container.blob') RETURNING id)
  INSERT INTO blob (id, digest, size) SELECT id, 'sha256:$CONFIG', $CSIZE FROM c;
WITH c AS (INSERT INTO content (pulp_id, pulp_type) VALUES (gen_random_uuid(), 'container.blob') RETURNING id)
  INSERT INTO blob (id, digest, size) SELECT id, 'sha256:$LAYER', $LSIZE FROM c;
WITH c AS (INSERT INTO content (pulp_id, pulp_type) VALUES (gen_random_uuid(), 'container.manifest') RETURNING id)
  INSERT INTO manifest (id, digest, media_type, schema_version, kind, data, config_blob_id)
  SELECT c.id, 'sha256:' || encode(sha256(convert_to('$MANIFEST', 'UTF8')), 'hex'), 'application/vnd.oci.image.manifest.v1+json', 2,
         'image', convert_to('$MANIFEST', 'UTF8'), b.id FROM c, blob b WHERE b.digest = 'sha256:$CONFIG';
INSERT INTO manifest_blob (manifest_id, blob_id) SELECT m.id, b.id FROM manifest m, blob b
  WHERE m.data = convert_to('$MANIFEST', 'UTF8') AND b.digest IN ('sha256:$CONFIG', 'sha256:$LAYER');
WITH c AS (INSERT INTO content (pulp_id, pulp_type) VALUES (gen_random_uuid(), 'container.tag') RETURNING id)
  INSERT INTO tag (id, name, manifest_id) SELECT c.id, 'v$i', m.id FROM c, manifest m WHERE m.data = convert_to('$MANIFEST', 'UTF8');
SQL
done
cat >> "$SQL" <<SQL
INSERT INTO repository_content (repository_id, content_id, pulp_type, version_added)
  SELECT r.id, c.id, c.pulp_type, 1 FROM repository r, content c WHERE r.pulp_id = '$(basename "$REPO")'::uuid;
INSERT INTO repository_version (pulp_id, repository_id, number, base_version)
  SELECT gen_random_uuid(), id, 1, 0 FROM repository WHERE pulp_id = '$(basename "$REPO")'::uuid;
UPDATE repository SET latest_version = 1 WHERE pulp_id = '$(basename "$REPO")'::uuid;
COMMIT;
SQL
$PSQL -d "$DB_A" -f "$SQL"
BYTES=$(du -sb "$WORK/a/blobs" | cut -f1)
sync

EXPORTER=$(api -d "{\"name\":\"bench\",\"path\":\"$WORK/exchange/out\",\"repositories\":[\"$REPO\"]}" \
  "http://127.0.0.1:$PORT/pulp/api/v3/exporters/core/pulp/" | jq -r .pulp_href)
T0=$(now)
TASK=$(api -d "{\"chunk_size\":\"$CHUNK\"}" "http://127.0.0.1:$PORT${EXPORTER}exports/" | jq -r .task)
EXPORTED=$(await "$TASK"); sync
EXPORT_S=$(awk -v a="$T0" -v b="$(now)" 'BEGIN {print b - a}')
[ "$(jq -r .state <<<"$EXPORTED")" = completed ] || { echo "export failed: $EXPORTED"; exit 1; }
TOC=$(jq -r .result.toc <<<"$EXPORTED")
stop
EXPORT_HEAP=$(peak_heap_mb "$WORK/a")

T0=$(now); tar -cf "$WORK/exchange/baseline.tar" -C "$WORK/a" blobs; sync
TAR_W_S=$(awk -v a="$T0" -v b="$(now)" 'BEGIN {print b - a}')

start "$DB_B" "$WORK/b"
IMPORTER=$(api -d '{"name":"bench","repo_mapping":{}}' "http://127.0.0.1:$PORT/pulp/api/v3/importers/core/pulp/" | jq -r .pulp_href)
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
T0=$(now)
TASK=$(api -d "{\"path\":\"$TOC\",\"create_repositories\":true}" "http://127.0.0.1:$PORT${IMPORTER}imports/" | jq -r .task)
IMPORTED=$(await "$TASK"); sync
IMPORT_S=$(awk -v a="$T0" -v b="$(now)" 'BEGIN {print b - a}')
[ "$(jq -r .state <<<"$IMPORTED")" = completed ] || { echo "import failed: $IMPORTED"; exit 1; }
stop
IMPORT_HEAP=$(peak_heap_mb "$WORK/b")

T0=$(now); find "$WORK/a/blobs" -type f -exec cat {} + | sha256sum > /dev/null
SHA_S=$(awk -v a="$T0" -v b="$(now)" 'BEGIN {print b - a}')
task_s() { jq -r '[.started_at, .finished_at] | map(sub("\\.[0-9]+"; "") | fromdateiso8601) | .[1] - .[0]' <<<"$1" 2>/dev/null || echo "?"; }

mkdir -p "$WORK/extract"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
T0=$(now); tar -xf "$WORK/exchange/baseline.tar" -C "$WORK/extract"; sync
TAR_R_S=$(awk -v a="$T0" -v b="$(now)" 'BEGIN {print b - a}')

echo
echo "content: $N images, $(( BYTES / 1048576 )) MiB of blobs; chunk size $CHUNK; heap limit $HEAP"
printf '%-44s %8s s %6s MB/s   peak heap %s MiB\n' "Sigil export (task, incl. chunk checksums)" "$(printf %.1f "$EXPORT_S")" "$(rate "$BYTES" "$EXPORT_S")" "$EXPORT_HEAP"
printf '%-44s %8s s %6s MB/s\n' "tar -cf of the same blob files" "$(printf %.1f "$TAR_W_S")" "$(rate "$BYTES" "$TAR_W_S")"
printf '%-44s %8s s %6s MB/s   peak heap %s MiB\n' "Sigil import (task: verify chunks, store)" "$(printf %.1f "$IMPORT_S")" "$(rate "$BYTES" "$IMPORT_S")" "$IMPORT_HEAP"
printf '%-44s %8s s %6s MB/s\n' "tar -xf of that tar" "$(printf %.1f "$TAR_R_S")" "$(rate "$BYTES" "$TAR_R_S")"
printf '%-44s %8s s %6s MB/s   (one sha256 pass: the CPU cost of hashing here)\n' "sha256sum of the same files" "$(printf %.1f "$SHA_S")" "$(rate "$BYTES" "$SHA_S")"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "import result: $(jq -c '.result.blobs' <<<"$IMPORTED")"
