#!/usr/bin/env bash
# Issue 13 benchmark: latency of a valid API request while 8 clients guess passwords (40 guesses per round), against
# the same request on an idle server; prints both medians and their ratio, and how many bcrypt checks the guesses cost
# (from the 401/429 split). Uses the real limits (5 failures per user, 20 per address) and bcrypt cost 12.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-24913}
ROUNDS=${ROUNDS:-5}
DB=sigil_bench_auth_$$
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
STORAGE=$(mktemp -d)

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests
SIGIL_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB SIGIL_STORAGE=$STORAGE SIGIL_PORT=$PORT \
  java -jar target/quarkus-app/quarkus-run.jar > "$STORAGE/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; rm -rf "$STORAGE"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/pulp/api/v3/status/" >/dev/null && break; sleep 1; done

java bench/auth/AuthBench.java "http://127.0.0.1:$PORT" "admin:${SIGIL_ADMIN_PASSWORD:-password}" "$ROUNDS"
