#!/usr/bin/env bash
# Install, build, generate the demo ICS, import it, print a summary and serve the dashboard.
#   ./scripts/demo.sh            everything, then serve on http://127.0.0.1:8080 (Ctrl-C stops)
#   ./scripts/demo.sh --no-serve stop after the summary
set -euo pipefail
cd "$(dirname "$0")/.."
serve=1
[ "${1:-}" = "--no-serve" ] && serve=0

./scripts/setup.sh
./scripts/build.sh build

out=demo-data
db=$out/careforce.db
rm -rf "$out"
./build/careforce demo generate --out "$out/submission"
./build/careforce import "$out/submission" --db "$db"
./build/careforce summary --db "$db"

if [ "$serve" = 1 ] && ./build/careforce serve --help >/dev/null 2>&1; then
  ./build/careforce serve --db "$db" --host 127.0.0.1 --port "${PORT:-8080}"
fi
