#!/usr/bin/env bash
# Measures a release build on five years of generated history (BENCHMARKS.md):
#   make bench
# 1. Makes (once, then reuses) a database holding `server seed-history`'s
#    history, and copies it into `trainyard_bench` for this run.
# 2. Starts the release server on BENCH_PORT against it (LEPTOS_ENV=PROD).
# 3. Measures, side by side in one run, with wrk: the ceiling (/healthz and a
#    static asset), every page and the main API reads at 1, 16 and 64
#    concurrent clients; then gate-result ingest, live-update latency with
#    100 open streams, outgoing webhooks (delay and drain rate), and
#    `server audit verify` over the whole trail.
# BENCH_STEPS picks steps (default: pages metrics ingest live webhooks verify);
# BENCH_HISTORY=demo measures a fresh database of the demo data instead of
# the generated history (quick, for steps that do not depend on its size).
set -euo pipefail
cd "$(dirname "$0")/.."
admin=${1:?admin database URL}
base_db=${admin%/*}
port=${BENCH_PORT:-3300}
oidc_port=${BENCH_OIDC_PORT:-3350}
server=${BENCH_SERVER:-./target/release/server}
seconds=${BENCH_SECONDS:-10}
clients=${BENCH_CLIENTS:-1 16 64}
years=${BENCH_YEARS:-5}
seed=${BENCH_SEED:-1}
steps=" ${BENCH_STEPS:-pages metrics ingest live webhooks verify} "
history=${BENCH_HISTORY:-generated}
step() { [[ "$steps" == *" $1 "* ]]; }
work=target/trainyard/bench
mkdir -p "$work"
base="http://127.0.0.1:$port"

log() { echo "bench: $*" >&2; }

# --- the history, made once per migrations + generator version -------------
history_db=trainyard_bench_history
stamp=$( (cat migrations/*.sql $(find server/src/cli/history -name "*.rs" | sort); echo "$years $seed") | sha256sum | cut -c1-16)
have=$(psql -Atq "$admin" -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$history_db'" || true)
if [[ "$history" == demo ]]; then
  history_db=template0
  echo "the demo data, loaded at start" >"$work/history.txt"
elif [[ "$have" != "$stamp" ]]; then
  log "generating $years years of history (seed $seed) into $history_db; this takes a while once"
  .ci/fresh-db.sh "$admin" "$history_db"
  start=$(date +%s)
  DATABASE_URL=$base_db/$history_db TRAINYARD_EVIDENCE_STORE=$work/evidence RUST_LOG=warn \
    "$server" seed-history --years "$years" --services 100 --seed "$seed"
  echo "history generated in $(( $(date +%s) - start )) s" >"$work/history.txt"
  psql -q "$admin" -c "COMMENT ON DATABASE $history_db IS '$stamp'"
fi
psql -q "$admin" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'trainyard_bench'" >/dev/null
psql -q "$admin" -c "DROP DATABASE IF EXISTS trainyard_bench" -c "CREATE DATABASE trainyard_bench TEMPLATE $history_db"
db=$base_db/trainyard_bench

# --- the server and the development provider --------------------------------
OIDC_PORT=$oidc_port node end2end/oidc/provider.mjs >"$work/oidc.log" 2>&1 &
oidc=$!
DATABASE_URL=$db TRAINYARD_ADDR=127.0.0.1:$port LEPTOS_SITE_ROOT=target/site LEPTOS_ENV=PROD \
  LEPTOS_HASH_FILES=true TRAINYARD_DEMO=$([[ "$history" == demo ]] && echo 1 || echo 0) \
  TRAINYARD_EVIDENCE_STORE=$work/evidence RUST_LOG=warn \
  OIDC_ISSUER_URL=http://127.0.0.1:$oidc_port OIDC_CLIENT_ID=trainyard OIDC_CLIENT_SECRET=trainyard-dev-secret \
  "$server" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid $oidc 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "$base/readyz" >/dev/null || { cat "$work/server.log" >&2; exit 1; }

# A signed-in admin, through the provider's own login form, for the pages
# only people may read (the audit trail).
jar=$work/cookies.txt
rm -f "$jar"
login=$(curl -sf -c "$jar" -b "$jar" -L "$base/auth/login?next=/")
action=$(sed -n 's/.*action="\([^"]*\)".*/\1/p' <<<"$login" | head -1 | sed 's/&amp;/\&/g')
curl -sf -c "$jar" -b "$jar" -L -o /dev/null -d username=adam -d password=adam-pass "http://127.0.0.1:$oidc_port$action"
session=$(awk '$6 == "trainyard_session" {print $7}' "$jar")
[[ -n "$session" ]] || { log "sign-in failed"; exit 1; }
cookie="Cookie: trainyard_session=$session"

token=$(DATABASE_URL=$db RUST_LOG=error "$server" token create --name "bench-$$" --scopes gates:write,trains:write,deployments:write)
css=$(curl -sf "$base/" | sed -n 's/.*href="\(\/pkg\/[^"]*\.css\)".*/\1/p' | head -1)
train=$(psql -Atq "$db" -c "SELECT name FROM train WHERE state = 'validating' ORDER BY train_id DESC LIMIT 1")
sealed=$(psql -Atq "$db" -c "SELECT t.name FROM train t JOIN evidence_seal USING (train_id) ORDER BY t.train_id DESC LIMIT 1")
year_ago=$(date -u -d '365 days ago' +%F)
in_flight=$(psql -Atq "$db" -c "SELECT count(*) FROM train WHERE state IN ('validating','staging','executing','verifying','paused','failed')")

cat <<EOF
### $(date -u +%Y-%m-%d): $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(psql -Atq "$admin" -c 'SHOW server_version'), release build

History: $(cat "$work/history.txt" 2>/dev/null || echo "reused"); $(psql -Atq "$db" -c "SELECT count(*) FROM train") trains ($in_flight in flight), \
$(psql -Atq "$db" -c "SELECT count(*) FROM gate_result") gate results, $(psql -Atq "$db" -c "SELECT count(*) FROM audit_record") audit records, \
$(psql -Atq "$db" -c "SELECT count(*) FROM service") services, $(psql -Atq "$db" -c "SELECT count(*) FROM evidence_artifact") evidence artifacts, \
$(psql -Atq "$db" -c "SELECT count(*) FROM deployment") deployments, $(psql -Atq "$db" -c "SELECT count(*) FROM incident") incidents.
EOF

# wrk's latency figures in ms, whatever unit it printed.
ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }' <<<"$1"; }

measure() { # label path [header]
  local label=$1 path=$2 header=${3:-"X-Bench: 1"}
  for c in $clients; do
    local threads=$(( c < 2 ? 1 : 2 ))
    wrk -t"$threads" -c"$c" -d2s -H "$header" "$base$path" >/dev/null 2>&1 || true
    local out
    out=$(wrk -t"$threads" -c"$c" -d"${seconds}s" --latency -H "$header" "$base$path" 2>&1)
    local rps p50 p99 non2xx sock
    rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    p50=$(ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    p99=$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    sock=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
    echo "| $label | $c | $rps | $p50 | $p99 | $(( ${non2xx:-0} + ${sock:-0} )) |"
  done
}

# One read right after a change (a deploy reported, which ends every shared
# answer): what the first reader after each change waits for. The median
# of five, in ms.
after_a_change() { # label path
  local label=$1 path=$2 times=() i
  local service environment
  service=$(psql -Atq "$db" -c "SELECT name FROM service WHERE retired_at IS NULL ORDER BY name LIMIT 1")
  environment=$(psql -Atq "$db" -c "SELECT name FROM environment ORDER BY position LIMIT 1")
  for i in 1 2 3 4 5; do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
      -d "{\"service\":\"$service\",\"version\":\"0.0.$RANDOM\",\"environment\":\"$environment\",\"status\":\"succeeded\",\"pipeline_run_id\":\"bench-$$-$RANDOM-$i\"}" \
      "$base/api/v1/deployments" || log "a deploy report was refused: $label measures no change"
    times+=("$(curl -sf -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "$base$path" || echo 0)")
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  echo "| $label, first read after a change | 1 | | $(awk -v s="$median" 'BEGIN {printf "%.2f", s * 1000}') | | 0 |"
}

if step pages; then
cat <<EOF
wrk, ${seconds} s per row after a 2 s warm-up, as a signed-in admin where the page needs one, compressed where the row says so.

| what | clients | req/s | p50 ms | p99 ms | errors |
| --- | --- | --- | --- | --- | --- |
EOF
measure "GET /healthz (ceiling)" /healthz
measure "GET $css (static ceiling)" "$css"
measure "GET / (dashboard)" /
measure "GET /calendar" /calendar
measure "GET /calendar?view=month" "/calendar?view=month"
measure "GET /trains" /trains
measure "GET /trains?state=completed" "/trains?state=completed"
measure "GET /trains/{in flight}" "/trains/$train"
# As browsers ask: compressed (wrk sends no Accept-Encoding of its own).
measure "GET / (dashboard, brotli)" / "Accept-Encoding: gzip, deflate, br"
measure "GET /trains/{in flight} (brotli)" "/trains/$train" "Accept-Encoding: gzip, deflate, br"
measure "GET /trains/{sealed}/evidence" "/trains/$sealed/evidence"
measure "GET /evidence" /evidence
measure "GET /audit (signed in)" /audit "$cookie"
measure "GET /audit?train= (signed in)" "/audit?train=$train" "$cookie"
measure "GET /api/v1/release-trains/{name}/status" "/api/v1/release-trains/$train/status"
measure "GET /api/v1/release-trains/{name}/promotions" "/api/v1/release-trains/$train/promotions"
measure "GET /api/v1/calendar" /api/v1/calendar
measure "GET /api/v1/evidence" /api/v1/evidence
fi

if step metrics; then
cat <<EOF

What runs where and the metrics (the last 30 days, and a whole year), same settings; the API rows with a token:

| what | clients | req/s | p50 ms | p99 ms | errors |
| --- | --- | --- | --- | --- | --- |
EOF
bearer="Authorization: Bearer $token"
measure "GET /deployments (signed in)" /deployments "$cookie"
measure "GET /metrics (signed in)" /metrics "$cookie"
measure "GET /metrics?from={a year ago}&days=366 (signed in)" "/metrics?from=$year_ago&days=366" "$cookie"
measure "GET /api/v1/running" /api/v1/running "$bearer"
measure "GET /api/v1/metrics/success" /api/v1/metrics/success "$bearer"
measure "GET /api/v1/metrics/dora/change_failure_rate (a year)" "/api/v1/metrics/dora/change_failure_rate?from=$year_ago&days=366" "$bearer"
after_a_change "GET /api/v1/running" /api/v1/running
after_a_change "GET /api/v1/metrics/success" /api/v1/metrics/success
after_a_change "GET /api/v1/metrics/dora/change_failure_rate (a year)" "/api/v1/metrics/dora/change_failure_rate?from=$year_ago&days=366"
fi

if step ingest; then
echo
echo "Gate-result ingest (POST batches of 50 results to $in_flight trains in flight, 16 clients):"
echo
TRAINS=$(psql -Atq "$db" -c "SELECT string_agg(t.name || '=' || (SELECT string_agg(s.name, ',') FROM participant p JOIN service s USING (service_id) WHERE p.train_id = t.train_id), ' ') FROM train t WHERE state IN ('validating','staging','executing','verifying')") \
TOKEN=$token wrk -t2 -c16 -d"${seconds}s" --latency -s end2end/bench/ingest.lua "$base" 2>&1 | \
  awk '/Requests\/sec/ {printf "- %.0f requests/s × 50 = **%.0f results/s durable**\n", $2, $2 * 50} /^ +99%/ {print "- p99 " $2} /Non-2xx/ {print "- non-2xx: " $NF}'

fi

if step live; then
echo
node end2end/bench/bench.mjs "$base" "$token" "$train"

fi

if step webhooks; then
echo
echo "Outgoing webhooks: a receiver on this machine subscribed to gate.results_recorded; the delay from each change's commit (its event's timestamp) to its delivery, in ms, with the default worker settings (an idle worker looks every second; 8 deliveries at once per instance):"
echo
echo "| run | delivered | p50 ms | p99 ms | max ms | deliveries/s | duplicates |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
participant=$(psql -Atq "$db" -c "SELECT s.name FROM participant p JOIN service s USING (service_id) JOIN train t USING (train_id) WHERE t.name = '$train' ORDER BY s.name LIMIT 1")
node end2end/bench/webhooks.mjs "$base" "$token" "$session" "$train" "$participant"
fi

if step verify; then
echo
start=$(date +%s.%N)
records=$(DATABASE_URL=$db RUST_LOG=error "$server" audit verify)
echo "- \`server audit verify\`: $records in $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $start }") s"
fi
