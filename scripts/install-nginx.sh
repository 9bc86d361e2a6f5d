#!/usr/bin/env bash
# Unpacks Debian's nginx (packages nginx and nginx-common, fetched with apt-get download) under its own root,
# /opt/orchestrator/nginx, for the auto-healing demo and tests; does nothing when it is there. Nothing is installed
# into the system: dpkg does not list nginx, no /etc/nginx, no system service on port 80. That keeps the machine as
# the shared Salt corpora were recorded on (a formula's pkg.installed nginx must still see nginx missing), and each
# web minion runs an instance of its own (states/nginx) with this binary. Exits 0 when nginx is usable, 1 with one
# line on stderr when it cannot be unpacked; callers go on without it (the tests needing nginx skip, the demo skips
# its healing part). ORCH_NGINX_ROOT overrides the root.
set -uo pipefail

root=${ORCH_NGINX_ROOT:-/opt/orchestrator/nginx}
nginx_bin=$root/usr/sbin/nginx
if [ -x "$nginx_bin" ] && "$nginx_bin" -v >/dev/null 2>&1; then
  exit 0
fi

tool=install-nginx
why="nginx cannot be unpacked under $root here; the auto-healing demo and tests will skip."
# shellcheck source=lib/unpack-debs.sh
. "$(dirname "$0")/lib/unpack-debs.sh"
unpack_debs "$root" usr/sbin/nginx nginx nginx-common
"$nginx_bin" -v >/dev/null 2>&1 || fail "the unpacked nginx does not run"
echo "install-nginx: unpacked $("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //') under $root"
