#!/usr/bin/env bash
# Installs Debian's nginx for the auto-healing demo and tests when it is missing; does nothing when it is there.
# The system nginx (port 80) is neither started nor enabled at boot: each web minion runs an instance of its own
# (states/nginx). Exits 0 when nginx is usable, 1 with one line on stderr when it cannot be installed; callers go on
# without it (the tests needing nginx skip, the demo skips its healing part).
set -uo pipefail

nginx_bin=/usr/sbin/nginx
if [ -x "$nginx_bin" ]; then
  exit 0
fi

fail() {
  echo "install-nginx: nginx is not installed and cannot be installed here ($1); the auto-healing demo and tests will skip." >&2
  exit 1
}

[ "$(id -u)" = 0 ] || fail "needs root for apt-get"
command -v apt-get >/dev/null 2>&1 || fail "no apt-get on this machine"

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
policy=/usr/sbin/policy-rc.d
backup=""

restore_policy() {
  if [ -n "$backup" ]; then
    mv -f "$backup" "$policy"
  else
    rm -f "$policy"
  fi
  rm -f "$log"
}

# invoke-rc.d asks policy-rc.d before starting a service; 101 means "not allowed", so the package's postinst
# installs nginx without starting it. Any policy already there is put back afterwards.
if [ -e "$policy" ]; then
  backup=$(mktemp)
  cp -p "$policy" "$backup"
fi
trap restore_policy EXIT
printf '#!/bin/sh\nexit 101\n' >"$policy"
chmod 0755 "$policy"

# Only refresh the package lists when apt does not know a candidate for nginx (a fresh machine has no lists at all).
if ! apt-cache policy nginx 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  apt-get -o DPkg::Lock::Timeout=120 update -qq >"$log" 2>&1 || fail "apt-get update failed: $(tail -n 1 "$log")"
fi
apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends nginx >"$log" 2>&1 || fail "apt-get install nginx failed: $(tail -n 1 "$log")"
[ -x "$nginx_bin" ] || fail "the nginx package has no $nginx_bin"

# Belt and braces: the system instance must not hold port 80 nor come up at boot.
if [ -x /etc/init.d/nginx ]; then
  /etc/init.d/nginx stop >/dev/null 2>&1 || true
  update-rc.d nginx disable >/dev/null 2>&1 || true
fi
echo "install-nginx: installed $("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //')"
