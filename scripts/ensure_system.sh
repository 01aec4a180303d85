#!/usr/bin/env bash
# Install the Debian packages Nadir's development needs, or say the one command to run.
# As root: apt-get installs what is missing. Otherwise: print the command and fail.
set -euo pipefail
PACKAGES=(python3-qgis qgis-providers qgis python3-venv python3-pip python3-gdal gdal-bin
          xvfb xauth imagemagick tinyproxy-bin ca-certificates libfaketime
          pyqt5-dev-tools qttools5-dev-tools)
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs npm)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Run:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
