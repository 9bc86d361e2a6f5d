#!/usr/bin/env bash
# Installs iproute2 (the `ip` command) for the cloud runner's netns driver when it is missing; does nothing when `ip`
# is there. Exits 0 when `ip netns` is usable, 1 with one line on stderr otherwise (the netns tests then skip, saying why).
set -uo pipefail

fail() {
  echo "install-netns-tools: $1; the netns cloud driver and its tests will not run." >&2
  exit 1
}

if ! command -v ip >/dev/null 2>&1 && [ ! -x /usr/sbin/ip ] && [ ! -x /sbin/ip ]; then
  [ "$(id -u)" = 0 ] || fail "needs root for apt-get install iproute2"
  command -v apt-get >/dev/null 2>&1 || fail "no apt-get on this machine to install iproute2"
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  if ! apt-cache policy iproute2 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt-get -o DPkg::Lock::Timeout=120 update -qq >"$log" 2>&1 || fail "apt-get update failed: $(tail -n 1 "$log")"
  fi
  apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends iproute2 >"$log" 2>&1 \
    || fail "apt-get install iproute2 failed: $(tail -n 1 "$log")"
fi
ip=$(command -v ip || ls /usr/sbin/ip /sbin/ip 2>/dev/null | head -n 1)
"$ip" netns list >/dev/null 2>&1 || fail "'ip netns' does not work here (root with CAP_NET_ADMIN is needed)"
echo "install-netns-tools: $("$ip" -V 2>&1) is usable"
