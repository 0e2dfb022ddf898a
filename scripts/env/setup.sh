#!/usr/bin/env bash
# Installs what facemirror needs on Debian 12 (apt) or macOS (Homebrew) and ONNX Runtime's library.
# Idempotent: packages already present are not installed again.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "$(uname -s)" = "Darwin" ]; then
  # Not run on a Mac by this project yet: the formulae are Homebrew's names for the same libraries.
  command -v brew >/dev/null || { echo "setup: Homebrew is needed (https://brew.sh)" >&2; exit 1; }
  BREW_PACKAGES=(pkg-config ffmpeg opencv dlib sqlite python)
  missing=()
  for p in "${BREW_PACKAGES[@]}"; do brew list --versions "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: brew install ${missing[*]}" >&2
    brew install "${missing[@]}"
  fi
  if [ -z "${FACEMIRROR_DLIB_LANDMARKS:-}" ] && [ ! -f /usr/share/dlib/shape_predictor_68_face_landmarks.dat ]; then
    echo "setup: Homebrew's dlib has no 68-point model; download shape_predictor_68_face_landmarks.dat (dlib.net) and set FACEMIRROR_DLIB_LANDMARKS to it" >&2
  fi
  bash scripts/env/install_ort.sh
  exit 0
fi

PACKAGES=(
  pkg-config
  ffmpeg libavformat-dev libavcodec-dev libavfilter-dev libswscale-dev libswresample-dev libavutil-dev
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
bash scripts/env/install_ort.sh
