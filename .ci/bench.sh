#!/usr/bin/env bash
# Measures a release build on a fresh database (see BENCHMARKS.md):
#   make bench
# Starts its own server on BENCH_PORT against the `trainyard_bench` database
# of the server in DATABASE_URL's cluster, then runs end2end/bench/bench.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${BENCH_PORT:-3300}
admin=${1:?admin database URL}
base_db=${admin%/*}
server=${BENCH_SERVER:-./target/release/server}
.ci/fresh-db.sh "$admin" trainyard_bench
DATABASE_URL=$base_db/trainyard_bench TRAINYARD_ADDR=127.0.0.1:$port LEPTOS_SITE_ROOT=target/site \
  LEPTOS_ENV=PROD LEPTOS_HASH_FILES=true RUST_LOG=warn "$server" >target/trainyard/bench-server.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
token=$(DATABASE_URL=$base_db/trainyard_bench RUST_LOG=error "$server" token create --name bench --scopes gates:write)
echo "$(nproc) cores, $("$server" --version 2>/dev/null || echo "$server"), $(date -u +%Y-%m-%d)"
node end2end/bench/bench.mjs "http://127.0.0.1:$port" "$token"
