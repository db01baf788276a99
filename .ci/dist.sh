#!/usr/bin/env bash
# Packs a self-contained Trainyard into target/dist/trainyard-<version>-<profile>.tar.gz:
#   .ci/dist.sh release   (make dist: after make release)
#   .ci/dist.sh debug     (the scale-out test: after make build)
# The tarball holds trainyard/ with the server binary (and, for a release
# build, the hash.txt of its hashed file names next to it), the built site,
# an example configuration, a systemd unit and an nginx configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-release}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
out=target/dist
stage=$out/stage-$profile/trainyard
rm -rf "$out/stage-$profile"
mkdir -p "$stage"
cp "target/$profile/server" "$stage/server"
if [[ $profile == release ]]; then
  [[ -f target/release/hash.txt ]] || { echo "dist: target/release/hash.txt is missing: make release first" >&2; exit 1; }
  cp target/release/hash.txt "$stage/hash.txt"
fi
mkdir -p "$stage/site"
cp -r target/site/. "$stage/site/"
cp .ci/dist/trainyard.service .ci/dist/nginx.conf "$stage/"
hashed=$([[ $profile == release ]] && echo true || echo false)
env=$([[ $profile == release ]] && echo PROD || echo DEV)
sed -e "s|^LEPTOS_SITE_ROOT=.*|LEPTOS_SITE_ROOT=site|" \
    -e "s|^LEPTOS_ENV=.*|LEPTOS_ENV=$env|" \
    -e "s|^LEPTOS_HASH_FILES=.*|LEPTOS_HASH_FILES=$hashed|" \
    -e "s|^TRAINYARD_DEMO=.*|TRAINYARD_DEMO=0|" \
    .env.example >"$stage/trainyard.env.example"
cat >"$stage/README.txt" <<TXT
Trainyard $version ($profile build)

  server              the binary: \`server\` serves, \`server migrate\`, \`server token …\`,
                      \`server audit verify\`, \`server import …\` (see the project README)
  site/               the built site (LEPTOS_SITE_ROOT=site)
  trainyard.env.example   every setting with its default; copy to /etc/trainyard/trainyard.env
  trainyard.service   a systemd unit (WorkingDirectory=/opt/trainyard)
  nginx.conf          nginx in front of several instances on one Postgres

Run from this directory:  set -a; . ./trainyard.env; set +a; ./server
TXT
tarball=$out/trainyard-$version-$profile.tar.gz
tar -czf "$tarball" -C "$out/stage-$profile" trainyard
rm -rf "$out/stage-$profile"
echo "$tarball"
