#!/usr/bin/env bash
# Install, build, generate the demo ICS, import it, print a summary and serve the dashboard.
#   ./scripts/demo.sh            everything, then serve on http://127.0.0.1:8080 (Ctrl-C stops)
#   ./scripts/demo.sh --no-serve stop after the summary
# When the published NHS Digital files are beside the repo (../shared/reference/nhs-digital,
# or CAREFORCE_REFERENCE=DIR), they are imported as national benchmarks and the dashboard
# compares the demo ICS with England and, for illustration, the East of England
# (CAREFORCE_REGION=Y61 by default; set it empty to compare with England only).
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

serve_args=()
reference=${CAREFORCE_REFERENCE:-../shared/reference/nhs-digital}
if [ -d "$reference" ]; then
  ./build/careforce benchmarks import "$reference" --db "$db"
  region=${CAREFORCE_REGION-Y61}
  [ -n "$region" ] && serve_args+=(--region "$region")
else
  echo "No published benchmark files at $reference: the dashboard shows no national benchmarks."
fi

if [ "$serve" = 1 ] && ./build/careforce serve --help >/dev/null 2>&1; then
  ./build/careforce serve --db "$db" --host 127.0.0.1 --port "${PORT:-8080}" "${serve_args[@]}"
fi
