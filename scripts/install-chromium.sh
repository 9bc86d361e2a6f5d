#!/usr/bin/env bash
# Installs Debian's chromium (apt-get) for the web console's browser tests, which drive it headless over the DevTools
# protocol; does nothing when a working chromium is there. Exits 0 when `chromium --version` runs, 1 with one line on
# stderr when it cannot be installed; callers go on without it (the console's browser tests skip, giving that line).
# ORCH_CHROMIUM overrides the binary looked for.
set -uo pipefail

bin=${ORCH_CHROMIUM:-chromium}
if command -v "$bin" >/dev/null 2>&1 && "$bin" --headless --version >/dev/null 2>&1; then
  exit 0
fi

fail() {
  echo "install-chromium: chromium cannot be installed here ($1); the web console's browser tests will skip." >&2
  exit 1
}

[ "$(id -u)" = 0 ] || fail "needs root for apt-get"
command -v apt-get >/dev/null 2>&1 || fail "no apt-get on this machine"

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Only refresh the package lists when apt does not know a candidate (a fresh machine has no lists at all).
if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  apt-get -o DPkg::Lock::Timeout=120 update -qq >"$log" 2>&1 || fail "apt-get update failed: $(tail -n 1 "$log")"
fi
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends chromium fonts-dejavu-core >"$log" 2>&1 \
  || fail "apt-get install chromium failed: $(tail -n 1 "$log")"
command -v chromium >/dev/null 2>&1 || fail "the chromium package has no chromium on PATH"
chromium --headless --version >/dev/null 2>&1 || fail "the installed chromium does not run: $(chromium --headless --version 2>&1 | tail -n 1)"
echo "install-chromium: $(chromium --version 2>/dev/null) installed"
