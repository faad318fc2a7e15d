#!/usr/bin/env bash
# Runs every test of the project. Installs what the tests need from Debian first
# (mosquitto, socat, libcoap3-bin, openssl, systemd, lintian, maven, iproute2 and util-linux for the
# multicast test's network namespace, chromium for the status page test, prometheus for promtool,
# postgresql for the aggregator's private clusters, python3-pyfuse3 and fuse3 for the power-cut
# tests' faultfs, which mounts through /dev/fuse as root); the tests start those programs themselves
# on loopback ports. Extra arguments go to Maven (e.g. -pl light-ledger -Dtest=ChainCrashTest).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh

DEBIAN_PACKAGES=(maven mosquitto mosquitto-clients socat libcoap3-bin openssl systemd lintian iproute2 util-linux chromium prometheus postgresql python3-pyfuse3 fuse3)

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "test.sh: installing ${missing[*]}" >&2
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# mosquitto's package may start a system broker on 1883; the tests never use it (they start
# their own on ephemeral ports), so leave it alone.
eiedge_pick_jdk
eiedge_quiet_maven
echo "test.sh: JDK $JAVA_HOME" >&2
exec mvn -B -ntp verify "$@"
