#!/bin/sh
# Proves that no rule in the product names an organisation's environments or
# tracks: string literals "dev", "stage", "staging", "prod" and "hotfix" may
# appear only in the demo loader, the history generator and tests. Three uses
# are other vocabularies and stay: the train state `staging` (seed 002's
# state machine, also in a partial index's predicate), LEPTOS_ENV's
# `dev`/`prod` build modes, and a deployment's match `hotfix` (carried by a
# train of an on-demand track, whatever the track is called).
set -eu
pattern='"(dev|stage|staging|prod|hotfix)"'"|'(dev|stage|staging|prod|hotfix)'"
found=$(find app/src server/src frontend/src -name '*.rs' \
    ! -path 'app/src/services/demo/*' ! -path 'server/src/cli/history/*' \
    ! -name '*tests.rs' ! -name 'fixtures.rs' ! -name 'examples.rs' ! -name 'examples_calendar.rs' ! -name 'examples_outgoing.rs' | sort |
while read -r f; do
    # Test modules close a file: `#[cfg(test)]` then `mod … {`.
    awk -v f="$f" -v pat="$pattern" '
        /^#\[cfg\(test\)\]$/ { held = 1; next }
        held && /^mod [a-z_]+ \{$/ { exit }
        { held = 0 }
        $0 ~ pat { print f ":" NR ": " $0 }
    ' "$f"
done |
    grep -v -e "Self::Staging => \"staging\"" \
        -e "Self::Hotfix => \"hotfix\"" \
        -e "t.state IN ('validating', 'staging', 'executing', 'verifying', 'paused')" \
        -e "\"dev\" | \"development\" => Ok(Env::DEV)" \
        -e "\"prod\" | \"production\" => Ok(Env::PROD)" || true)
if [ -n "$found" ]; then
    echo "rules must not name an organisation's environments or tracks:" >&2
    echo "$found" >&2
    exit 1
fi
echo "no environment or track name in a rule"
