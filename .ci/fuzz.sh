#!/usr/bin/env bash
# Fuzzes the REST API with schemathesis against a freshly started server on
# a new database with the demo organisation: one pass with a token of every
# scope, one with a signed-in admin's session cookie, each for a bounded
# time. Fails on any 5xx, any answer the OpenAPI document does not allow and
# any request breaking the document's schema that is let through; any
# schema-valid request refused with a 400 (a rule the document does not
# state: a third, shorter pass); and when openapi-spec-validator refuses
# the served document.
#   .ci/fuzz.sh <admin database URL> [seconds per pass]
set -euo pipefail
cd "$(dirname "$0")/.."
admin=${1:?admin database URL}
budget=${2:-75}
venv=$(pwd)/target/fuzz-venv
base_db=${admin%/*}
work=$(mktemp -d "${TMPDIR:-/tmp}/trainyard-fuzz-XXXXXX")
reports=$(pwd)/target/fuzz-reports
root=$(pwd)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port); oidc=$(free_port)
url=http://127.0.0.1:$port

.ci/fresh-db.sh "$admin" trainyard_fuzz
db=$base_db/trainyard_fuzz
OIDC_PORT=$oidc node end2end/oidc/provider.mjs >"$work/oidc.log" 2>&1 &
pids+=($!)
# The fuzzer sends made-up bearer tokens now and then: a limit of failed
# tokens far above the default keeps the rest of its requests reaching
# the handlers (the limit itself has its own test).
DATABASE_URL=$db TRAINYARD_ADDR=127.0.0.1:$port TRAINYARD_PUBLIC_URL=$url TRAINYARD_DEMO=1 \
  TRAINYARD_FAILED_TOKENS_PER_MINUTE=100000 \
  TRAINYARD_EVIDENCE_STORE=$work/evidence RUST_LOG=warn LEPTOS_SITE_ROOT=target/site \
  OIDC_ISSUER_URL=http://127.0.0.1:$oidc OIDC_CLIENT_ID=trainyard OIDC_CLIENT_SECRET=trainyard-dev-secret \
  ./target/debug/server >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "$url/readyz" >/dev/null || { cat "$work/server.log" >&2; exit 1; }

echo "fuzz: openapi-spec-validator on $url/api/v1/openapi.json"
curl -sf "$url/api/v1/openapi.json" -o "$work/openapi.json"
"$venv/bin/openapi-spec-validator" "$work/openapi.json"

token=$(DATABASE_URL=$db RUST_LOG=error ./target/debug/server token create --name fuzz \
  --scopes trains:write,gates:write,evidence:write,config:write,deployments:write,incidents:write)
cookie=$("$venv/bin/python" .ci/sign_in.py "$url" adam)

# What fails the build: a 5xx, an answer (status, content type, body) the
# document does not allow, a request breaking the schema let through.
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection
rm -rf "$reports" && mkdir -p "$reports"
status=0
# One worker: CPython 3.11's ast.parse, which hypothesis calls to describe
# its filters, fails with "AST constructor recursion depth mismatch" when
# two worker threads parse at once.
pass() { # name, seconds, checks, more options...
  local name=$1 seconds=$2 checks=$3; shift 3
  echo "fuzz: $name pass, $seconds s"
  # From the scratch directory: schemathesis keeps a .schemathesis/ where it runs.
  (cd "$work" && "$venv/bin/schemathesis" --config-file "$root/.ci/schemathesis.toml" run "$work/openapi.json" --url "$url" \
    --checks "$checks" --max-time "$seconds" --seed 17 --workers 1 --request-timeout 30 --no-color --generation-database none \
    --report junit --report-junit-path "$reports/$name.xml" "$@") >"$reports/$name.log" 2>&1
}
summary() { # name: the run's counts
  grep -E '^  [0-9]+ generated|^(=+ .* in [0-9.]+s =+)$' "$reports/$1.log" | sed "s/^/fuzz: $1: /"
}
for auth in token session; do
  if [[ $auth == token ]]; then header=("Authorization: Bearer $token"); else header=("Cookie: trainyard_session=$cookie" -H "Origin: $url"); fi
  pass "$auth" "$budget" "$checks" -H "${header[@]}" || { status=1; cat "$reports/$auth.log"; }
  summary "$auth"
done
# Schema-valid requests only: each must be accepted, or refused for what
# is stored now (404, 409) or a rule beyond the schema's reach (422, the
# field named); a 400 would be a rule the document does not state.
pass positive $(( budget / 2 )) positive_data_acceptance --mode positive \
  -H "Authorization: Bearer $token" || {
  status=1
  echo "fuzz: schema-valid requests refused for a reason the document does not state:"
  grep -E '^_{3,} [A-Z]+ ' "$reports/positive.log" | tr -d '_' | sed 's/^ */fuzz:   /' || true
  cat "$reports/positive.log"
}
summary positive

# Whatever the fuzzer did, nothing the server answered was an internal error.
if grep -q ' ERROR ' "$work/server.log"; then
  echo "fuzz: the server logged errors:" >&2
  grep -m 20 ' ERROR ' "$work/server.log" >&2
  status=1
fi
(DATABASE_URL=$db RUST_LOG=error ./target/debug/server audit verify) || status=1
[[ $status -eq 0 ]] || tail -60 "$work/server.log" >&2
exit $status
