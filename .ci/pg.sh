#!/usr/bin/env bash
# A private Postgres cluster for development and tests, used when DATABASE_URL
# is not set.
#   .ci/pg.sh start DIR PORT   start it (initdb on first use) and create the
#                              `trainyard` database; reuses a running cluster
#   .ci/pg.sh stop DIR [MODE]    stop it (pg_ctl's mode: fast unless told)
# Debian's server binaries are found on PATH or under /usr/lib/postgresql/*/bin
# and installed with apt when absent. initdb refuses to run as root, so as root
# the cluster belongs to the `postgres` user.
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop DIR [PORT]}
dir=${2:?data directory}
port=${3:-54329}

find_bin() {
  local initdb
  initdb=$(command -v initdb 2>/dev/null || true)
  if [[ -n $initdb ]]; then dirname "$(readlink -f "$initdb")"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bin=$(find_bin)
if [[ -z $bin || ! -x $bin/pg_ctl ]]; then
  [[ $cmd == start ]] || exit 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "pg.sh: installing Debian's postgresql" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(find_bin)
  fi
  [[ -n $bin && -x $bin/pg_ctl ]] || { echo "pg.sh: Postgres server binaries not found; install Debian's postgresql package" >&2; exit 1; }
fi

as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  as_owner=(runuser -u postgres --)
  # The postgres user must be able to reach the data directory; a checkout in a
  # private home (/root/...) gets its cluster in a temporary directory instead.
  parent=$(dirname "$dir")
  mkdir -p "$parent"
  if ! runuser -u postgres -- test -x "$parent"; then
    dir=${TMPDIR:-/tmp}/trainyard-pg-$(printf %s "$dir" | md5sum | cut -c1-12)
  fi
fi

# A cluster this script started for a checkout that has since been deleted
# keeps its port until Postgres notices its lock file is gone (up to a minute):
# stop it rather than fail to bind.
reap_orphans() {
  local pid args data
  while read -r pid args; do
    [[ $args == *" -p $port "* && $args == *trainyard* ]] || continue
    data=$(sed -n 's/.* -D \([^ ]*\) .*/\1/p' <<<"$args")
    if [[ -n $data && ! -d $data ]]; then
      echo "pg.sh: stopping an orphaned cluster on port $port (its data directory $data is gone)" >&2
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
  done < <(ps -eo pid=,args= | grep '[p]ostgres -D')
}

case $cmd in
  start)
    reap_orphans
    mkdir -p "$dir"
    if [[ ${#as_owner[@]} -gt 0 ]]; then
      chown postgres:postgres "$dir"
      chmod 700 "$dir"
    fi
    if [[ ! -f $dir/PG_VERSION ]]; then
      "${as_owner[@]}" "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --no-locale >"$dir.initdb.log" 2>&1 \
        || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    if ! "${as_owner[@]}" "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300" start >/dev/null \
        || { tail -n 20 "$dir/server.log" >&2; exit 1; }
    fi
    psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtA)
    if [[ -z $("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'trainyard'") ]]; then
      "${psql[@]}" -c "CREATE DATABASE trainyard"
    fi
    echo "pg.sh: Postgres ready on 127.0.0.1:$port (data in $dir)" >&2
    ;;
  stop) # stop DIR [smart|fast|immediate]: fast unless told
    mode=${3:-fast}
    [[ $mode =~ ^(smart|fast|immediate)$ ]] || mode=fast
    [[ -f $dir/PG_VERSION ]] && "${as_owner[@]}" "$bin/pg_ctl" -D "$dir" -m "$mode" stop >/dev/null || true
    ;;
  psql)
    shift 3
    exec "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres "$@"
    ;;
  *) echo "pg.sh: unknown command $cmd" >&2; exit 2 ;;
esac
