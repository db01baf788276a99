#!/usr/bin/env bash
# Several instances behind a real load balancer: unpacks the tarball that
# .ci/dist.sh made, starts two instances of it on one Postgres database and
# one shared evidence store, puts Debian's nginx in front with the tarball's
# own nginx.conf (round robin, no sticky sessions), and runs
# end2end/scale-out/ in Chromium against nginx:
#   .ci/scale-out.sh <admin database URL> <tarball>
set -euo pipefail
cd "$(dirname "$0")/.."
admin=${1:?admin database URL}
tarball=${2:?tarball from .ci/dist.sh}
base_db=${admin%/*}
root=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/trainyard-scale-XXXXXX")
pids=()
cleanup() {
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
lb=$(free_port); a=$(free_port); b=$(free_port); oidc=$(free_port)

tar -xzf "$tarball" -C "$work"
dist=$work/trainyard
.ci/fresh-db.sh "$admin" trainyard_scale
db=$base_db/trainyard_scale

OIDC_PORT=$oidc node end2end/oidc/provider.mjs >"$work/oidc.log" 2>&1 &
pids+=($!)

start_instance() { # port log
  (cd "$dist" && set -a && . ./trainyard.env.example && set +a &&
    DATABASE_URL=$db TRAINYARD_ADDR=127.0.0.1:$1 TRAINYARD_PUBLIC_URL=http://127.0.0.1:$lb \
    TRAINYARD_DEMO=1 TRAINYARD_EVIDENCE_STORE=$work/evidence TRAINYARD_SCHEDULER_TICK=1s RUST_LOG=warn \
    OIDC_ISSUER_URL=http://127.0.0.1:$oidc OIDC_CLIENT_ID=trainyard OIDC_CLIENT_SECRET=trainyard-dev-secret \
    exec ./server) >"$work/$2.log" 2>&1 &
  pids+=($!)
}
# Both start at once on the empty database: one loads the demo, the other waits.
start_instance "$a" instance-a
start_instance "$b" instance-b
for port in "$a" "$b"; do
  for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work"/instance-*.log >&2; exit 1; }
done

# nginx's workers run as nobody when started as root: let them in.
mkdir -p "$work/nginx-temp"
chmod 755 "$work" && chmod 777 "$work/nginx-temp"
sed -e "s|@PID_FILE@|$work/nginx.pid|" -e "s|@ERROR_LOG@|$work/nginx.log|" -e "s|@TEMP@|$work/nginx-temp|g" \
    -e "s|@LISTEN@|127.0.0.1:$lb|" \
    -e "s|@UPSTREAMS@|server 127.0.0.1:$a; server 127.0.0.1:$b;|" \
    "$dist/nginx.conf" >"$work/nginx.conf"
"$(command -v nginx || echo /usr/sbin/nginx)" -c "$work/nginx.conf" -p "$work"
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$lb/healthz" >/dev/null && break; sleep 0.1; done

token=$(cd "$dist" && DATABASE_URL=$db RUST_LOG=error ./server token create --name scale-out --scopes trains:write,gates:write,evidence:write)

status=0
(cd end2end && SCALE_URL=http://127.0.0.1:$lb SCALE_A=http://127.0.0.1:$a SCALE_B=http://127.0.0.1:$b \
  SCALE_TOKEN=$token SCALE_DATABASE_URL=$db SCALE_SERVER=$dist/server \
  npx playwright test --config scale-out/playwright.config.ts) || status=$?

# Whatever the test did through two instances, the audit chain holds.
(cd "$dist" && DATABASE_URL=$db RUST_LOG=error ./server audit verify) || status=1
if [[ $status -ne 0 ]]; then
  for log in "$work"/instance-*.log "$work/nginx.log"; do echo "== $log" >&2; tail -40 "$log" >&2; done
fi
exit $status
