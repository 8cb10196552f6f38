#!/usr/bin/env bash
# Browser tests of the dashboard in headless Debian chromium, against the real careforce
# server on the demo ICS (built by scripts/build.sh build). With --mock, against the mock
# API in web/tests instead (front-end work without a C++ build).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--mock" ]; then
  (cd web && npm test)
  exit
fi

work=build/browser-test
db=$work/careforce.db
if [ ! -f "$db" ]; then
  rm -rf "$work"
  ./build/careforce demo generate --out "$work/submission" >/dev/null
  ./build/careforce import "$work/submission" --db "$db" >/dev/null
fi
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
(cd web && CAREFORCE_SERVER_URL="http://127.0.0.1:$port" npm test)
