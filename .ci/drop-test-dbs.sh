#!/usr/bin/env bash
# .ci/drop-test-dbs.sh ADMIN_URL: drops the per-test databases the API tests made.
set -euo pipefail
admin=${1:?admin database URL}
psql -qtA "$admin" -c "SELECT datname FROM pg_database WHERE datname LIKE 'trainyard\_test\_%'" |
  while read -r db; do psql -q "$admin" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"; done
