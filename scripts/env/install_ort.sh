#!/usr/bin/env bash
# Installs ONNX Runtime's shared library into .ort/lib (project-local, not committed), taken from
# the pinned PyPI wheel for this machine and checked against pinned SHA-256 sums (the wheel's and the
# library's). Idempotent. Pinned: Linux x86_64, Linux aarch64, macOS arm64 (all ORT 1.32.0, CPython
# 3.11 wheels; the library inside does not depend on Python).
#
#   scripts/env/install_ort.sh                 for this machine
#   FACEMIRROR_ORT_PLATFORM=linux-aarch64 ORT_DEST=/tmp/ort scripts/env/install_ort.sh
#                                          fetch and check another platform's library (to inspect it)
set -euo pipefail
cd "$(dirname "$0")/../.."

ORT_VERSION=1.32.0
DEST=${ORT_DEST:-.ort/lib}
platform=${FACEMIRROR_ORT_PLATFORM:-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m)}
case "$platform" in
  linux-x86_64)
    TAG=manylinux_2_28_x86_64
    WHEEL_SHA256=5a34fc4dfeb5a7b4a74c95dcba1e773d722abda720b474edf1b0c419dc6d163d
    LIB=libonnxruntime.so.${ORT_VERSION}
    LIB_SHA256=6c1585d1bbf45b0712ea4a21b705c5fcb4ba04ff2e30f1fbf81a49faf658638f
    EXTRA=libonnxruntime_providers_shared.so
    LINKS="libonnxruntime.so.1 libonnxruntime.so" ;;
  linux-aarch64 | linux-arm64)
    TAG=manylinux_2_28_aarch64
    WHEEL_SHA256=2303372a85299b6757b0e11e1cbf13e410ddf7e10c37f4b37e99d1c90e7daf7c
    LIB=libonnxruntime.so.${ORT_VERSION}
    LIB_SHA256=49852228a93995158b2a813d4df487d47a1b76b0eaa894507ef49e91b6d7954a
    EXTRA=libonnxruntime_providers_shared.so
    LINKS="libonnxruntime.so.1 libonnxruntime.so" ;;
  darwin-arm64)
    TAG=macosx_14_0_arm64
    WHEEL_SHA256=366b9e53d07812cc5c92822cecf7563b76a8a0f32ba3bb8dd232a206ac3bcb6c
    LIB=libonnxruntime.${ORT_VERSION}.dylib
    LIB_SHA256=fa585fabbea65b823b9a8f7e27d46aee3989d1be7e36b528203d3a1fd613aae7
    EXTRA=
    LINKS="libonnxruntime.dylib" ;;
  *)
    echo "install_ort: no pinned ONNX Runtime for $platform; set FACEMIRROR_ORT_LIB to your libonnxruntime" >&2
    exit 0 ;;
esac
WHEEL=onnxruntime-${ORT_VERSION}-cp311-cp311-${TAG}.whl

sha256_ok() {  # SHA FILE
  if command -v sha256sum >/dev/null; then echo "$1  $2" | sha256sum -c --status
  else [ "$(shasum -a 256 "$2" | cut -d' ' -f1)" = "$1" ]; fi
}

if [ -f "$DEST/$LIB" ] && sha256_ok "$LIB_SHA256" "$DEST/$LIB"; then
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "install_ort: downloading onnxruntime $ORT_VERSION ($TAG) from PyPI" >&2
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
  --platform "$TAG" "onnxruntime==$ORT_VERSION" -d "$tmp"
if ! sha256_ok "$WHEEL_SHA256" "$tmp/$WHEEL"; then
  echo "install_ort: $WHEEL does not have the pinned SHA-256; refusing it" >&2
  exit 1
fi
python3 - "$tmp/$WHEEL" "$tmp" "$LIB" $EXTRA <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in sys.argv[3:]:
        with z.open("onnxruntime/capi/" + name) as src, open(sys.argv[2] + "/" + name, "wb") as dst:
            dst.write(src.read())
PY
if ! sha256_ok "$LIB_SHA256" "$tmp/$LIB"; then
  echo "install_ort: $LIB from the wheel does not have the pinned SHA-256; refusing it" >&2
  exit 1
fi
mkdir -p "$DEST"
for extra in $EXTRA; do install -m 0755 "$tmp/$extra" "$DEST/"; done
install -m 0755 "$tmp/$LIB" "$DEST/$LIB.partial"
mv "$DEST/$LIB.partial" "$DEST/$LIB"
for link in $LINKS; do ln -sf "$LIB" "$DEST/$link"; done
echo "install_ort: installed $DEST/$LIB" >&2
