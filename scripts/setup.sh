#!/usr/bin/env bash
# The README's first step: peephole with its fast trainer. The OpenBLAS addon (native/) needs
# libopenblas-dev and g++ to build; without them training falls back to WebAssembly, and the default
# study takes several times longer (`time npm run study` on 2 cores at load average 12-14: 3 min 47 s,
# 81 s of CPU, on OpenBLAS; 19 min 32 s, 6 min 2 s of CPU, on WebAssembly). This installs the two Debian packages when they are missing
# (apt-get, as root or with sudo), installs the npm dependencies when they are not there (`npm ci`
# builds peephole and the addon), and builds the addon, failing if it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(libopenblas-dev g++)
missing=()
if command -v dpkg-query > /dev/null; then
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
else
  echo "setup: not a Debian system (no dpkg-query): install OpenBLAS (with its headers) and a C++ compiler yourself" >&2
fi
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo > /dev/null || { echo "setup: ${missing[*]} missing, and neither root nor sudo to install them" >&2; exit 1; }
    SUDO="sudo"
  fi
  echo "setup: installing ${missing[*]} (the fast trainer's build needs them)" >&2
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

[ -d node_modules ] || npm ci --no-audit --no-fund
[ -f dist/index.js ] || npm run build
# Not optional here: the point of this script is the fast trainer.
[ -f native/build/peephole-native.node ] || node scripts/build-native.mjs
node -e "import('./dist/model/native-addon.js').then((m) => { const r = m.loadNativeAddon(); if (!r.ok) { console.error('setup: the OpenBLAS addon does not load: ' + r.reason); process.exit(1); } console.error('setup: the OpenBLAS trainer is ready (' + r.addon.config() + ')'); })"
