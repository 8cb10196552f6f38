#!/usr/bin/env bash
# Install, build and run every test: unit and golden tests (normal build), the same under
# AddressSanitizer + UndefinedBehaviorSanitizer, a short fuzz run of every parser, and the
# browser tests of the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

./scripts/setup.sh

echo "== build (RelWithDebInfo)"
./scripts/build.sh build
echo "== tests"
ctest --test-dir build --output-on-failure --parallel "$jobs" --timeout 600

echo "== build (AddressSanitizer + UndefinedBehaviorSanitizer)"
./scripts/build.sh build-asan -DCAREFORCE_SANITIZE=ON -DCAREFORCE_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
echo "== tests under sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure --parallel "$jobs" --timeout 900

if [ -d fuzz ] && ls fuzz/fuzz_*.cpp >/dev/null 2>&1; then
  echo "== fuzz (short run of every target; scripts/fuzz.sh TARGET SECONDS for longer)"
  ./scripts/fuzz.sh all 20
fi

# Against the real server on the demo ICS (the mock API only replays the API contract, in
# seconds; ./scripts/browser-tests.sh --mock runs every test against it for front-end work).
# The last line is "N passed, N failed"; a failure exits non-zero.
echo "== browser tests (headless Debian chromium, real server on the demo ICS)"
./scripts/browser-tests.sh
