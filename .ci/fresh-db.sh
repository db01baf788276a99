#!/usr/bin/env bash
# .ci/fresh-db.sh ADMIN_URL NAME: drops and recreates database NAME.
set -euo pipefail
admin=${1:?admin database URL}; name=${2:?database name}
psql -q -v ON_ERROR_STOP=1 "$admin" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\""
