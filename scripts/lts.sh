#!/usr/bin/env bash
# Run a command inside a cached Debian root with a newer QGIS than the machine's 3.22:
#   scripts/lts.sh make -C /nadir test                    trixie: QGIS 3.40 LTR
#   NADIR_SUITE=sid scripts/lts.sh make -C /nadir test    sid: QGIS 3.44 (current LTR line)
# The root is made once with debootstrap and kept in $NADIR_LTS_ROOT (default
# /var/cache/nadir/<suite>); its packages are re-installed only when the list changes.
# A cached sid root keeps the QGIS it was made with; delete it to take today's sid.
# The repository is bind-mounted at /nadir; the virtualenv lives in the root (/opt/nadir-venv).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
SUITE="${NADIR_SUITE:-trixie}"
LTS_ROOT="${NADIR_LTS_ROOT:-/var/cache/nadir/$SUITE}"
PACKAGES="python3-qgis qgis-providers qgis python3-venv python3-pip python3-gdal gdal-bin xvfb xauth
imagemagick tinyproxy-bin ca-certificates nodejs npm make procps"

if [ "$(id -u)" -ne 0 ]; then
  echo "make test-lts needs root (debootstrap, chroot and mounts). Run: sudo make test-lts" >&2
  exit 1
fi
command -v debootstrap >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -q; apt-get install -y -q debootstrap; }

mirror() {  # the Debian mirror the host's apt sources use
  local uri
  uri=$(grep -hoE '^(URIs:|deb) +[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null \
        | awk '{print $2}' | grep -E '/debian/?$' | head -n1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# One chroot run at a time on a machine: runs share the root and its /nadir mount point.
exec 9>"/var/lock/nadir-lts-$SUITE.lock"
if ! flock -n 9; then
  echo "Another test-lts run holds /var/lock/nadir-lts-$SUITE.lock; waiting for it"
  flock 9
fi

MOUNTS=()
cleanup() {
  local i
  for (( i=${#MOUNTS[@]}-1; i>=0; i-- )); do
    umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" 2>/dev/null || true
  done
}
trap cleanup EXIT
mount_once() {  # type-or-bind, source, target
  local target="$LTS_ROOT$3"
  mkdir -p "$target"
  mountpoint -q "$target" && umount -l "$target" 2>/dev/null || true
  if [ "$1" = bind ]; then mount --bind "$2" "$target"; else mount -t "$1" "$2" "$target"; fi
  MOUNTS+=("$target")
}

if [ ! -x "$LTS_ROOT/usr/bin/apt-get" ]; then
  echo "Creating the Debian $SUITE root in $LTS_ROOT (debootstrap, about 2 minutes)"
  mkdir -p "$LTS_ROOT"
  debootstrap --variant=minbase "$SUITE" "$LTS_ROOT" "$(mirror)"
fi
# The machine's mirror can be a dated snapshot: sid's Release file then looks expired (its
# Valid-Until is days, not months) though it is the archive the host itself trusts.
echo 'Acquire::Check-Valid-Until "false";' > "$LTS_ROOT/etc/apt/apt.conf.d/99nadir-mirror-snapshot"
mount_once proc proc /proc
mount_once sysfs sys /sys
mount_once bind /dev /dev
mount_once devpts devpts /dev/pts
mount_once tmpfs tmpfs /dev/shm
cp /etc/resolv.conf "$LTS_ROOT/etc/resolv.conf"
# The root trusts what the host trusts (local CAs, e.g. of an egress proxy in front of PyPI).
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$LTS_ROOT/usr/local/share/ca-certificates"
  if ! diff -rq /usr/local/share/ca-certificates "$LTS_ROOT/usr/local/share/ca-certificates" >/dev/null 2>&1; then
    cp /usr/local/share/ca-certificates/*.crt "$LTS_ROOT/usr/local/share/ca-certificates/"
    [ -x "$LTS_ROOT/usr/sbin/update-ca-certificates" ] && chroot "$LTS_ROOT" /usr/sbin/update-ca-certificates >/dev/null 2>&1 || true
  fi
fi

want="$(echo "$PACKAGES" | sha256sum | cut -c1-16)"
if [ "$(cat "$LTS_ROOT/.nadir-packages" 2>/dev/null)" != "$want" ]; then
  echo "Installing QGIS and tools in the $SUITE root"
  chroot "$LTS_ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    /bin/sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends $(echo $PACKAGES)"
  echo "$want" > "$LTS_ROOT/.nadir-packages"
  chroot "$LTS_ROOT" /usr/sbin/update-ca-certificates >/dev/null 2>&1 || true
fi
mount_once bind "$REPO" /nadir
# The provider documents (shared/contracts) beside the checkout, read-only, when present:
# some contract checks read files whose licence does not allow copying them into the repo.
SHARED="${NADIR_SHARED:-}"
for candidate in "$SHARED" "$REPO/../shared" "/work/shared"; do
  if [ -n "$candidate" ] && [ -d "$candidate/contracts" ]; then SHARED="$(cd "$candidate" && pwd)"; break; fi
done
if [ -n "$SHARED" ] && [ -d "$SHARED/contracts" ]; then
  mount_once bind "$SHARED" /shared
  mount -o remount,bind,ro "$LTS_ROOT/shared" 2>/dev/null || true
  SHARED_IN_ROOT=/shared
else
  SHARED_IN_ROOT=
fi

chroot "$LTS_ROOT" /usr/bin/env -i \
  HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  CI="${CI:-}" VENV=/opt/nadir-venv NADIR_SHARED="$SHARED_IN_ROOT" PYTEST_ARGS="${PYTEST_ARGS:-}" TIERS="${TIERS:-}" \
  "$@"
