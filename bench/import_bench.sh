#!/usr/bin/env bash
# Import speed and memory: the demo ICS and a generated staff_in_post file of N rows.
#   bench/import_bench.sh [ROWS]   (default 10,000,000)
# Prints rows per second and the peak resident memory of each import.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
cli=./build/careforce
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {  # name, rows, command...
  local name=$1 n=$2
  shift 2
  local start end rss
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null
  end=$(date +%s.%N)
  rss=$(cat "$work/rss")
  awk -v n="$n" -v s="$start" -v e="$end" -v r="$rss" -v name="$name" \
    'BEGIN { t = e - s; printf "%-28s %10d rows %7.1f s %9.0f rows/s  peak RSS %5.0f MiB\n", name, n, t, n / t, r / 1024 }'
}

$cli demo generate --out "$work/demo" >/dev/null
demo_rows=$(($(cat "$work"/demo/*.csv | wc -l) - $(ls "$work"/demo/*.csv | wc -l)))
measure "import demo ICS" "$demo_rows" $cli import "$work/demo" --db "$work/demo.db"
measure "validate demo ICS" "$demo_rows" $cli validate "$work/demo"

$cli demo generate --out "$work/big" --sip-rows "$rows" >/dev/null
measure "import staff_in_post" "$rows" $cli import "$work/big" --db "$work/big.db"
ls -l "$work/big/staff_in_post.csv" "$work/big.db" | awk '{ printf "  %s: %.0f MiB\n", $9, $5 / 1048576 }'
