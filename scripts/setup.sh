#!/usr/bin/env bash
# Install every Debian package careforce needs to build, test and run. Idempotent: when
# everything is present it only checks and returns.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git clang libclang-rt-14-dev clang-format
  libsqlite3-dev sqlite3 libfmt-dev nlohmann-json3-dev libcli11-dev libcpp-httplib-dev
  libxlsxwriter-dev libtomlplusplus-dev libarchive-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev zip unzip python3 time curl
  nodejs npm chromium
)

missing=()
for p in "${packages[@]}"; do
  # A nodejs package that bundles npm (it Provides and Conflicts with Debian's npm) is enough.
  [ "$p" = npm ] && command -v npm >/dev/null 2>&1 && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The web front end's packages come from the npm registry (locked in web/package-lock.json).
if [ -f web/package.json ] && { [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; }; then
  echo "setup: installing web packages"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: all dependencies present"
