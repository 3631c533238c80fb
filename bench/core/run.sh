#!/usr/bin/env bash
# Issue 3 benchmark: a repository of N (default 100,000) tagged, signed manifests; prints the time to create a version
# that changes one tag, to list one page of the latest version's content, and for a modify adding 10,000 units.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-100000}
EXTRA=${EXTRA:-10000}
PORT=${PORT:-24901}
DB=sigil_bench_$$
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
STORAGE=$(mktemp -d)

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
SIGIL_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB SIGIL_STORAGE=$STORAGE SIGIL_PORT=$PORT \
  java -jar target/quarkus-app/quarkus-run.jar > "$STORAGE/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; rm -rf "$STORAGE"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/pulp/api/v3/status/" >/dev/null && break; sleep 1; done

AUTH=admin:${SIGIL_ADMIN_PASSWORD:-password}
REPO=$(curl -sf -u "$AUTH" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
  "http://127.0.0.1:$PORT/pulp/api/v3/repositories/container/container/" | jq -r .pulp_href)
REPO_ID=$(basename "$REPO")
echo "seeding $N tagged and signed manifests ($((N * 4)) units) and $EXTRA more outside the repository..."
SEED_START=$(date +%s)
$PSQL -d "$DB" -v n="$N" -v extra="$EXTRA" -v repo="'$REPO_ID'" -f bench/core/seed.sql
echo "seeded in $(( $(date +%s) - SEED_START )) s"

RETAG=$($PSQL -d "$DB" -At -c "SELECT '/pulp/api/v3/content/container/tags/' || c.pulp_id || '/' FROM tag t JOIN content c ON c.id = t.id
  WHERE t.name = 'tag-1' AND NOT EXISTS (SELECT 1 FROM repository_content rc WHERE rc.content_id = t.id)")
ORIGINAL=$($PSQL -d "$DB" -At -c "SELECT '/pulp/api/v3/content/container/tags/' || c.pulp_id || '/' FROM tag t JOIN content c ON c.id = t.id
  WHERE t.name = 'tag-1' AND EXISTS (SELECT 1 FROM repository_content rc WHERE rc.content_id = t.id)")
$PSQL -d "$DB" -At -c "SELECT '/pulp/api/v3/content/container/tags/' || c.pulp_id || '/' FROM tag t JOIN content c ON c.id = t.id
  WHERE t.name LIKE 'new-%'" > "$STORAGE/new-tags.txt"

java bench/core/CoreBench.java "http://127.0.0.1:$PORT" "$AUTH" "$REPO" "$RETAG" "$ORIGINAL" "$STORAGE/new-tags.txt"
