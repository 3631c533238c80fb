#!/usr/bin/env bash
# Issue 7 benchmark, through the REST API of a packaged Sigil over a fixture seeded in SQL (seed.sql, files.py):
#  1. invalidating one key across REPOS repositories holding REPOS*IMAGES*SIGS signatures, 1/SIGS of them by that key;
#  2. cleaning up ORPHANS orphaned images (4 units each: two blobs with 4 KiB files, a manifest, a tag).
# Prints, for each, the wall time, the task's own run time, and the server's peak heap (jcmd GC.heap_info, sampled).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPOS=${REPOS:-100}
IMAGES=${IMAGES:-100}
SIGS=${SIGS:-10}
ORPHANS=${ORPHANS:-25000}
PORT=${PORT:-24902}
DB=sigil_bench_lifecycle_$$
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
STORAGE=$(mktemp -d)
BASE=http://127.0.0.1:$PORT
AUTH=admin:${SIGIL_ADMIN_PASSWORD:-password}

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B -o package -DskipTests
SIGIL_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB SIGIL_STORAGE=$STORAGE SIGIL_PORT=$PORT \
  java -jar target/quarkus-app/quarkus-run.jar > "$STORAGE/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; rm -rf "$STORAGE"' EXIT
for _ in $(seq 1 90); do curl -sf "$BASE/pulp/api/v3/status/" >/dev/null && break; sleep 1; done

echo "seeding $REPOS repositories x $IMAGES images x $SIGS signatures, and $ORPHANS orphaned images ($((ORPHANS * 4)) units, $((ORPHANS * 2)) blob files)..."
SEED_START=$(date +%s)
$PSQL -d "$DB" -v repos="$REPOS" -v images="$IMAGES" -v sigs="$SIGS" -v orphans="$ORPHANS" -f bench/lifecycle/seed.sql
python3 bench/lifecycle/files.py "$STORAGE" "$ORPHANS"
echo "seeded in $(( $(date +%s) - SEED_START )) s; storage holds $(du -sh "$STORAGE/blobs" | cut -f1)"

heap_used_kb() { jcmd "$SERVER" GC.heap_info 2>/dev/null | grep -o 'used [0-9]*K' | head -1 | tr -dc 0-9; }

# measure LABEL PATH BODY: posts, waits for the task, prints times and peak heap; leaves the task JSON in $STORAGE/task.json.
measure() {
  local label=$1 path=$2 body=$3 peak=0 start end task state
  local before; before=$(heap_used_kb)
  start=$(date +%s%N)
  task=$(curl -sf -u "$AUTH" -H 'Content-Type: application/json' -d "$body" "$BASE$path" | jq -r .task)
  while true; do
    used=$(heap_used_kb); [ -n "$used" ] && [ "$used" -gt "$peak" ] && peak=$used
    curl -sf -u "$AUTH" "$BASE$task" > "$STORAGE/task.json"
    state=$(jq -r .state "$STORAGE/task.json")
    case $state in completed|failed|canceled) break ;; esac
    sleep 0.2
  done
  end=$(date +%s%N)
  [ "$state" = completed ] || { echo "$label: task $state"; jq . "$STORAGE/task.json"; exit 1; }
  local run_ms; run_ms=$(python3 -c 'import json,sys,datetime as d
t=json.load(open(sys.argv[1])); p=lambda s: d.datetime.fromisoformat(s.replace("Z","+00:00"))
print(int((p(t["finished_at"])-p(t["started_at"])).total_seconds()*1000))' "$STORAGE/task.json")
  printf '%s: %d ms end to end (task ran %d ms); heap used %d MiB before, peak %d MiB\n' \
    "$label" $(( (end - start) / 1000000 )) "$run_ms" $(( before / 1024 )) $(( peak / 1024 ))
}

await_idle() { # lets re-verification and other follow-up tasks finish before the next measurement
  while [ "$(curl -sf -u "$AUTH" "$BASE/pulp/api/v3/tasks/?state__in=waiting,running" | jq .count)" != 0 ]; do sleep 0.5; done
}

measure "invalidate one key across $REPOS repositories ($((REPOS * IMAGES * SIGS)) signatures, $((REPOS * IMAGES)) by the key)" \
  /pulp/api/v3/signatures/invalidate/ '{"key":"DEADBEEFDEADBEEFDEADBEEFDEADBEEFDEADBEEF","reason":"benchmark"}'
jq -c '{versions: (.created_resources | length), removed_signatures: .result.removed_signatures}' "$STORAGE/task.json"
REVERIFY_START=$(date +%s)
await_idle
echo "(re-verification of every signature after the revocation took $(( $(date +%s) - REVERIFY_START )) s more)"

FILES_BEFORE=$(find "$STORAGE/blobs" -type f | wc -l)
measure "orphan clean-up of $((ORPHANS * 4)) units and $((ORPHANS * 2)) blob files" \
  /pulp/api/v3/orphans/cleanup/ '{"orphan_protection_time":60}'
jq -c '.result' "$STORAGE/task.json"
echo "blob files on disk: $FILES_BEFORE before, $(find "$STORAGE/blobs" -type f | wc -l) after; storage now $(du -sh "$STORAGE/blobs" | cut -f1)"
