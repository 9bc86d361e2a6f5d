#!/usr/bin/env bash
# Unpacks Debian's openssh-server under its own root, /opt/orchestrator/openssh, for the gitfs tests that fetch over
# ssh from an sshd the test starts on a loopback port; does nothing when it is there. As with nginx, nothing is
# registered with dpkg and no system sshd is started (the openssh formula of the shared corpus must still see
# openssh-server missing). sshd run as root needs its privilege-separation user `sshd` and /run/sshd, which this
# creates as Debian's package would. Exits 0 when sshd is usable, 1 with one line on stderr when not; the ssh tests
# then skip with that reason. ORCH_OPENSSH_ROOT overrides the root.
set -uo pipefail

root=${ORCH_OPENSSH_ROOT:-/opt/orchestrator/openssh}
sshd_bin=$root/usr/sbin/sshd
if [ -x "$sshd_bin" ] && getent passwd sshd >/dev/null && "$sshd_bin" -V 2>&1 | grep -q OpenSSH; then
  mkdir -p /run/sshd && chmod 0755 /run/sshd
  exit 0
fi

tool=install-openssh-server
why="sshd cannot be unpacked under $root here; the gitfs ssh tests will skip."
# shellcheck source=lib/unpack-debs.sh
. "$(dirname "$0")/lib/unpack-debs.sh"
unpack_debs "$root" usr/sbin/sshd openssh-server
if ! getent passwd sshd >/dev/null; then
  useradd --system --no-create-home --home-dir /run/sshd --shell /usr/sbin/nologin sshd \
    || fail "useradd sshd (the privilege-separation user) failed"
fi
mkdir -p /run/sshd && chmod 0755 /run/sshd
"$sshd_bin" -V 2>&1 | grep -q OpenSSH || fail "the unpacked sshd does not run"
echo "install-openssh-server: unpacked $("$sshd_bin" -V 2>&1 | head -n 1) under $root"
