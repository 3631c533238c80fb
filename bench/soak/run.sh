#!/usr/bin/env bash
# Issue 15 soak: for DURATION seconds (default 180), two Sigil processes sharing one database and one storage take
# concurrent pushes (skopeo), syncs from a real docker-registry, modifies (a tag removed, the image pushed again) and
# orphan clean-ups (protection 0), while one of them is killed with SIGKILL and restarted every KILL_EVERY seconds
# (default 30). Then it lets the tasks drain, runs a last clean-up and checks the invariants:
#   version numbers without gaps; every tag of every latest version pullable with the right digest; every signature's
#   manifest in the versions holding the signature; no task left waiting or running; no storage file without a unit.
# Prints the counts and exits non-zero when an invariant is broken. Env: DURATION, KILL_EVERY, PUSHERS (default 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-180}
KILL_EVERY=${KILL_EVERY:-30}
PUSHERS=${PUSHERS:-2}
PORT_A=${PORT_A:-24921}
PORT_B=${PORT_B:-24922}
REG_PORT=${REG_PORT:-24923}
AUTH=admin:${SIGIL_ADMIN_PASSWORD:-password}
DB=sigil_soak_$$
WORK=$(mktemp -d)
PSQL="psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1"
API=/pulp/api/v3
for tool in skopeo docker-registry jq curl psql java; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q -B package -DskipTests

PIDS=()
cleanup() {
  [ -f "$WORK/pid.a" ] && SIGIL_A=$(cat "$WORK/pid.a")
  for pid in "${PIDS[@]}" ${SIGIL_A:-} ${SIGIL_B:-}; do kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  $PSQL -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start_sigil() { # $1: port; prints the pid
  SIGIL_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB SIGIL_STORAGE=$WORK/storage SIGIL_PORT=$1 \
    SIGIL_TASKS_HEARTBEAT_INTERVAL=1s SIGIL_TASKS_WORKER_TIMEOUT=6s \
    java -Xmx384m -jar target/quarkus-app/quarkus-run.jar >> "$WORK/sigil-$1.log" 2>&1 &
  echo $!
}
await_sigil() { # $1: port
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$1$API/status/" >/dev/null && return; sleep 0.5; done
  echo "Sigil on $1 did not start" >&2; tail -50 "$WORK/sigil-$1.log" >&2; exit 1
}
api() { # method port path [json]
  curl -s -u "$AUTH" -X "$1" -H 'Content-Type: application/json' ${4:+-d "$4"} "http://127.0.0.1:$2$API$3"
}
count() { echo 1 >> "$WORK/count.$1"; }

SIGIL_A=$(start_sigil $PORT_A); await_sigil $PORT_A  # A migrates the schema first
SIGIL_B=$(start_sigil $PORT_B); await_sigil $PORT_B

mkdir -p "$WORK/registry" "$WORK/containers/registries.d"
printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
  "$WORK/registry/storage" "$REG_PORT" > "$WORK/registry/config.yml"
docker-registry serve "$WORK/registry/config.yml" > "$WORK/registry.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 30); do curl -sf "http://127.0.0.1:$REG_PORT/v2/" >/dev/null && break; sleep 0.5; done
echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$WORK/containers/policy.json"
SKOPEO="skopeo --policy $WORK/containers/policy.json --registries.d $WORK/containers/registries.d"
java bench/registry/MakeImage.java "$WORK/image" 64 >/dev/null
for t in 1 2 3; do
  $SKOPEO copy -q --dest-tls-verify=false "oci:$WORK/image:bench" "docker://127.0.0.1:$REG_PORT/upstream/img:t$t"
done

MIRROR=$(api POST $PORT_B /repositories/container/container/ '{"name":"soak/mirror"}' | jq -r .pulp_href)
REMOTE=$(api POST $PORT_B /remotes/container/container/ \
  "{\"name\":\"soak-upstream\",\"url\":\"http://127.0.0.1:$REG_PORT\",\"upstream_name\":\"upstream/img\"}" | jq -r .pulp_href)
api POST $PORT_B /distributions/container/container/ \
  "{\"name\":\"soak-mirror\",\"base_path\":\"soak/mirror\",\"repository\":\"$MIRROR\"}" >/dev/null

END=$(( $(date +%s) + DURATION ))
port() { if (( RANDOM % 2 )); then echo $PORT_A; else echo $PORT_B; fi; }
pusher() { # $1: index
  local n=0
  while (( $(date +%s) < END )); do
    n=$((n + 1))
    if $SKOPEO copy -q --dest-tls-verify=false --dest-creds "$AUTH" "oci:$WORK/image:bench" \
         "docker://127.0.0.1:$(port)/soak/push$1:t$((n % 5))" 2>>"$WORK/push-errors.log"; then count push_ok; else count push_failed; fi
  done
}
tasker() { # $1: kind, $2: pause seconds
  while (( $(date +%s) < END )); do
    local p; p=$(port)
    case $1 in
      sync) task=$(api POST "$p" "${MIRROR#$API}sync/" "{\"remote\":\"$REMOTE\",\"mirror\":$( (( RANDOM % 2 )) && echo true || echo false)}" | jq -r '.task // empty') ;;
      cleanup) task=$(api POST "$p" /orphans/cleanup/ '{"orphan_protection_time":0}' | jq -r '.task // empty') ;;
      modify)
        repo=$(api GET "$p" "/repositories/container/container/?name=soak/push0" | jq -r '.results[0].pulp_href // empty')
        tag=""
        [ -n "$repo" ] && tag=$(api GET "$p" "/content/container/tags/?repository_version=${repo}versions/$(api GET "$p" "${repo#$API}" | jq -r '.latest_version_href' | sed 's#.*/versions/\([0-9]*\)/#\1#')/&limit=1" | jq -r '.results[0].pulp_href // empty')
        task=""
        [ -n "$tag" ] && task=$(api POST "$p" "${repo#$API}modify/" "{\"remove_content_units\":[\"$tag\"]}" | jq -r '.task // empty') ;;
    esac
    if [ -n "${task:-}" ]; then count "${1}_dispatched"; else count "${1}_refused"; fi
    sleep "$2"
  done
}
killer() {
  while (( $(date +%s) + KILL_EVERY < END )); do
    sleep "$KILL_EVERY"
    kill -9 "$SIGIL_A" 2>/dev/null || true; wait "$SIGIL_A" 2>/dev/null || true
    count kills
    SIGIL_A=$(start_sigil $PORT_A); echo "$SIGIL_A" > "$WORK/pid.a"; await_sigil $PORT_A
  done
}

echo "soak: ${DURATION}s, $PUSHERS pushers, a sync, a modify and a clean-up loop, process A killed every ${KILL_EVERY}s"
LOOPS=()
for i in $(seq 0 $((PUSHERS - 1))); do pusher "$i" & LOOPS+=("$!"); done
tasker sync 2 & LOOPS+=("$!")
tasker modify 2 & LOOPS+=("$!")
tasker cleanup 5 & LOOPS+=("$!")
killer & LOOPS+=("$!")
for pid in "${LOOPS[@]}"; do wait "$pid" || true; done
[ -f "$WORK/pid.a" ] && SIGIL_A=$(cat "$WORK/pid.a")

q() { $PSQL -d "$DB" -At -c "$1"; }
echo "draining tasks..."
for _ in $(seq 1 120); do
  [ "$(q "SELECT count(*) FROM task WHERE state IN ('waiting','running','canceling')")" = 0 ] && break; sleep 1
done
final=$(api POST $PORT_B /orphans/cleanup/ '{"orphan_protection_time":0}' | jq -r .task)
for _ in $(seq 1 120); do
  state=$(curl -s -u "$AUTH" "http://127.0.0.1:$PORT_B$final" | jq -r .state)
  [[ "$state" =~ completed|failed|canceled ]] && break; sleep 1
done
# Sessions and pending links of pushes cut short by a kill are protected until the upload expiry: not strays.

FAILED=0
check() { # $1 description, $2 offending count
  if [ "$2" = 0 ]; then echo "ok   $1"; else echo "FAIL $1: $2"; FAILED=1; fi
}
check "version numbers without gaps" "$(q "SELECT count(*) FROM repository r WHERE (SELECT count(*) FROM repository_version v
  WHERE v.repository_id = r.id) <> r.latest_version + 1 OR EXISTS (SELECT 1 FROM repository_version v WHERE v.repository_id = r.id AND v.number > r.latest_version)")"
check "no task left waiting or running" "$(q "SELECT count(*) FROM task WHERE state IN ('waiting','running','canceling')")"
check "every signature's manifest in its versions" "$(q "SELECT count(*) FROM repository_content rc JOIN signature s ON s.id = rc.content_id
  WHERE rc.version_removed IS NULL AND NOT EXISTS (SELECT 1 FROM repository_content m WHERE m.repository_id = rc.repository_id
  AND m.content_id = s.signed_manifest_id AND m.version_removed IS NULL)")"
unpullable=0; tags=0
while IFS='|' read -r base tag digest; do
  [ -z "$base" ] && continue
  tags=$((tags + 1))
  token=$(curl -s -u "$AUTH" "http://127.0.0.1:$PORT_B/token?scope=repository:$base:pull" | jq -r .token)
  got=$(curl -s -o /dev/null -D - -H "Authorization: Bearer $token" \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.v2+json' \
    "http://127.0.0.1:$PORT_B/v2/$base/manifests/$tag" | tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}')
  [ "$got" = "$digest" ] || { unpullable=$((unpullable + 1)); echo "  $base:$tag gives '$got', not $digest"; }
done < <(q "SELECT d.base_path, t.name, m.digest FROM distribution d JOIN repository r ON r.id = d.repository_id
  JOIN repository_content rc ON rc.repository_id = r.id AND rc.version_removed IS NULL JOIN tag t ON t.id = rc.content_id
  JOIN manifest m ON m.id = t.manifest_id")
check "every tag of every latest version pullable with its digest ($tags tags)" "$unpullable"
stray=0; files=0
while read -r file; do
  files=$((files + 1))
  digest="sha256:$(basename "$file")"
  [ "$(q "SELECT count(*) FROM blob WHERE digest = '$digest'") $(q "SELECT count(*) FROM manifest WHERE digest = '$digest'")" = "0 0" ] \
    && { stray=$((stray + 1)); echo "  stray file $file"; }
done < <(find "$WORK/storage/blobs" -type f 2>/dev/null)
check "no storage file without a unit after the clean-up ($files files)" "$stray"

echo
echo "counts:"
for f in "$WORK"/count.*; do [ -f "$f" ] && printf '  %-20s %s\n' "${f##*/count.}" "$(wc -l < "$f")"; done
q "SELECT '  tasks ' || name || ' ' || state || ': ' || count(*) FROM task GROUP BY name, state ORDER BY name, state"
q "SELECT '  repositories: ' || count(*) || ', versions: ' || (SELECT count(*) FROM repository_version) FROM repository"
exit $FAILED
