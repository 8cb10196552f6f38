#!/usr/bin/env bash
# Browser tests of the dashboard in headless Debian chromium, against the real careforce
# server on the demo ICS (built by scripts/build.sh build). Before them, the API contract
# (docs/api-examples.json) is replayed against the mock API of web/tests too, in seconds,
# so the mock used for front-end work stays faithful to the documented API. The last line
# printed is "N passed, N failed"; any failure exits non-zero.
# With --mock, every test runs against the mock API instead (front-end work without a C++
# build).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--mock" ]; then
  (cd web && npm test)
  exit
fi

[ -x build/careforce ] || { echo "build/careforce is missing: ./scripts/build.sh build" >&2; exit 1; }
(cd web && npm run build >/dev/null && node --test --test-reporter=dot tests/api-contract.test.mjs >/dev/null) ||
  { echo "the mock API no longer answers docs/api-examples.json as documented: cd web && node --test tests/api-contract.test.mjs" >&2; exit 1; }

work=build/browser-test
db=$work/careforce.db
if [ ! -f "$db" ]; then
  rm -rf "$work"
  ./build/careforce demo generate --out "$work/submission" >/dev/null
  ./build/careforce import "$work/submission" --db "$db" >/dev/null
fi
# Saved scenarios live beside the database: start from none.
rm -f "$db.scenarios.json"
# National benchmarks from the published files beside the repo, when present (as demo.sh).
serve_args=()
reference=${CAREFORCE_REFERENCE:-../shared/reference/nhs-digital}
if [ -d "$reference" ]; then
  ./build/careforce benchmarks import "$reference" --db "$db" >/dev/null
  serve_args+=(--region "${CAREFORCE_REGION:-Y61}")
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./build/careforce serve --db "$db" --host 127.0.0.1 --port "$port" --static web/dist "${serve_args[@]}" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.5
done
(cd web && CAREFORCE_SERVER_URL="http://127.0.0.1:$port" node tests/run.mjs)
