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

fail() {
  echo "install-nginx: nginx cannot be unpacked under $root here ($1); the auto-healing demo and tests will skip." >&2
  exit 1
}

[ "$(id -u)" = 0 ] || fail "needs root for apt-get and $root"
command -v apt-get >/dev/null 2>&1 || fail "no apt-get on this machine"
command -v dpkg-deb >/dev/null 2>&1 || fail "no dpkg-deb on this machine"

export DEBIAN_FRONTEND=noninteractive
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/log

# Only refresh the package lists when apt does not know a candidate for nginx (a fresh machine has no lists at all).
if ! apt-cache policy nginx 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  apt-get -o DPkg::Lock::Timeout=120 update -qq >"$log" 2>&1 || fail "apt-get update failed: $(tail -n 1 "$log")"
fi
# apt's sandbox user must be able to write where the packages land.
chmod 0777 "$work"
(cd "$work" && apt-get download -qq nginx nginx-common >"$log" 2>&1) || fail "apt-get download failed: $(tail -n 1 "$log")"
staging=$root.new
rm -rf "$staging"
mkdir -p "$staging"
for deb in "$work"/*.deb; do
  dpkg-deb -x "$deb" "$staging" || fail "dpkg-deb -x $(basename "$deb") failed"
done
[ -x "$staging/usr/sbin/nginx" ] || fail "the nginx package has no usr/sbin/nginx"

# The binary needs only libraries a Debian base system has (libc, libcrypt, pcre2, openssl, zlib); install any missing.
missing=$(ldd "$staging/usr/sbin/nginx" | awk '/not found/ { print $1 }')
for lib in $missing; do
  case "$lib" in
    libpcre2-8.so.0) package=libpcre2-8-0 ;;
    libssl.so.3|libcrypto.so.3) package=libssl3 ;;
    libz.so.1) package=zlib1g ;;
    libcrypt.so.1) package=libcrypt1 ;;
    *) package="" ;;
  esac
  [ -n "$package" ] || fail "no package known for $lib"
  apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "$package" >"$log" 2>&1 \
    || fail "apt-get install $package failed: $(tail -n 1 "$log")"
done
"$staging/usr/sbin/nginx" -v >/dev/null 2>&1 || fail "the unpacked nginx does not run"

rm -rf "$root"
mv "$staging" "$root"
chmod 0755 "$root"
echo "install-nginx: unpacked $("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //') under $root"
