#!/usr/bin/env bash
# Installs what facemirror needs on Debian 12 and makes the bundled sample.
# Idempotent: packages already present are not installed again.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  pkg-config
  ffmpeg libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
  libopencv-dev
  libdlib-dev libdlib-data libblas-dev liblapack-dev
  libsqlite3-dev
  python-matplotlib-data python3 python3-numpy python3-yaml time
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# pip for the ONNX Runtime download (Debian's python3 may come without it).
if ! python3 -m pip --version >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
fi
bash scripts/install_ort.sh
