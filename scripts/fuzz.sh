#!/usr/bin/env bash
# Build the libFuzzer targets with clang in build-fuzz/, run them, replay the regressions.
#   scripts/fuzz.sh all SECONDS      every target for SECONDS each
#   scripts/fuzz.sh TARGET SECONDS   one target (fuzz_csv_reader, fuzz_row_validator)
# New crashers land in build-fuzz/artifacts/<target>/; commit each (minimised) to
# fuzz/regressions/<target>/ with its fix, so the normal tests replay it everywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
seconds=${2:-60}
dir=build-fuzz

targets=()
for source in fuzz/fuzz_*.cpp; do
  name=$(basename "$source" .cpp)
  if [ "$which" = all ] || [ "$which" = "$name" ]; then targets+=("$name"); fi
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: unknown target '$which' (have: $(ls fuzz/fuzz_*.cpp | xargs -n1 basename | sed 's/\.cpp//' | tr '\n' ' '))" >&2
  exit 2
fi

if [ ! -f "$dir/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCAREFORCE_FUZZ=ON -DCAREFORCE_TESTS=OFF -DCAREFORCE_BENCH=OFF \
    -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined" \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined" >/dev/null
fi
cmake --build "$dir" --parallel 2 --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  binary="$dir/fuzz/$t"
  regressions="fuzz/regressions/$t"
  mapfile -t inputs < <(find "$regressions" -maxdepth 1 -type f ! -name '.*' 2>/dev/null | sort)
  if [ ${#inputs[@]} -gt 0 ]; then
    echo "== $t: replaying ${#inputs[@]} input(s) of $regressions"
    "$binary" -runs=0 "${inputs[@]}" >"$dir/$t.replay.log" 2>&1 ||
      { echo "fuzz: $t fails a regression input; see $dir/$t.replay.log" >&2; status=1; continue; }
  fi
  echo "== $t: fuzzing for ${seconds}s"
  work="$dir/corpus/$t"
  artifacts="$dir/artifacts/$t/"
  mkdir -p "$work" "$artifacts"
  if ! "$binary" -max_len=4096 -max_total_time="$seconds" -artifact_prefix="$artifacts" \
      -print_final_stats=1 "$work" "fuzz/corpus/$t" 2>"$dir/$t.log"; then
    echo "fuzz: $t found a crash; see $dir/$t.log and $artifacts" >&2
    tail -40 "$dir/$t.log" >&2
    status=1
  else
    grep -E "^stat::number_of_executed_units|cov:" "$dir/$t.log" | tail -2
  fi
done
exit $status
