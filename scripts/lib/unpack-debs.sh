# Sourced by the install-*.sh scripts: unpacks Debian packages (fetched with apt-get download) under a root of their
# own, never registering them with dpkg, so the machine stays as the shared Salt corpora were recorded on (a formula's
# pkg.installed must still see the package missing). Callers set `tool` (the name in messages) and `why` (what skips
# without it) before sourcing.

fail() {
  echo "$tool: $1; $why" >&2
  exit 1
}

# unpack_debs ROOT BINARY PACKAGE...: unpacks the packages into ROOT (replacing it) and checks that ROOT/BINARY exists,
# installing any shared library it needs that the system lacks.
unpack_debs() {
  local root=$1 binary=$2
  shift 2
  [ "$(id -u)" = 0 ] || fail "needs root for apt-get and $root"
  command -v apt-get >/dev/null 2>&1 || fail "no apt-get on this machine"
  command -v dpkg-deb >/dev/null 2>&1 || fail "no dpkg-deb on this machine"
  export DEBIAN_FRONTEND=noninteractive
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  local log=$work/log
  # Only refresh the package lists when apt does not know a candidate (a fresh machine has no lists at all).
  if ! apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt-get -o DPkg::Lock::Timeout=120 update -qq >"$log" 2>&1 || fail "apt-get update failed: $(tail -n 1 "$log")"
  fi
  # apt's sandbox user must be able to write where the packages land.
  chmod 0777 "$work"
  (cd "$work" && apt-get download -qq "$@" >"$log" 2>&1) || fail "apt-get download failed: $(tail -n 1 "$log")"
  local staging=$root.new
  rm -rf "$staging"
  mkdir -p "$staging"
  for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$staging" || fail "dpkg-deb -x $(basename "$deb") failed"
  done
  [ -x "$staging/$binary" ] || fail "the packages have no $binary"
  local missing lib package
  missing=$(ldd "$staging/$binary" | awk '/not found/ { print $1 }')
  for lib in $missing; do
    case "$lib" in
      libpcre2-8.so.0) package=libpcre2-8-0 ;;
      libssl.so.3|libcrypto.so.3) package=libssl3 ;;
      libz.so.1) package=zlib1g ;;
      libcrypt.so.1) package=libcrypt1 ;;
      libwrap.so.0) package=libwrap0 ;;
      *) package="" ;;
    esac
    [ -n "$package" ] || fail "no package known for $lib"
    apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "$package" >"$log" 2>&1 \
      || fail "apt-get install $package failed: $(tail -n 1 "$log")"
  done
  rm -rf "$root"
  mv "$staging" "$root"
  chmod 0755 "$root"
}
