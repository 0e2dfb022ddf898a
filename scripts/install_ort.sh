#!/usr/bin/env bash
# Installs ONNX Runtime's shared library into .ort/lib (project-local, not committed), taken from
# the pinned PyPI wheel and checked against pinned SHA-256 sums. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

ORT_VERSION=1.32.0
WHEEL=onnxruntime-${ORT_VERSION}-cp311-cp311-manylinux_2_28_x86_64.whl
WHEEL_SHA256=5a34fc4dfeb5a7b4a74c95dcba1e773d722abda720b474edf1b0c419dc6d163d
LIB=libonnxruntime.so.${ORT_VERSION}
LIB_SHA256=6c1585d1bbf45b0712ea4a21b705c5fcb4ba04ff2e30f1fbf81a49faf658638f
DEST=.ort/lib

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "install_ort: no pinned ONNX Runtime for $(uname -s)-$(uname -m); set FACEMIRROR_ORT_LIB to your libonnxruntime" >&2
  exit 0
fi
if [ -f "$DEST/$LIB" ] && echo "$LIB_SHA256  $DEST/$LIB" | sha256sum -c --status; then
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "install_ort: downloading onnxruntime $ORT_VERSION from PyPI" >&2
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
  --platform manylinux_2_28_x86_64 "onnxruntime==$ORT_VERSION" -d "$tmp"
if ! echo "$WHEEL_SHA256  $tmp/$WHEEL" | sha256sum -c --status; then
  echo "install_ort: $WHEEL does not have the pinned SHA-256; refusing it" >&2
  exit 1
fi
python3 - "$tmp/$WHEEL" "$tmp" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in ("libonnxruntime.so.1.32.0", "libonnxruntime_providers_shared.so"):
        with z.open("onnxruntime/capi/" + name) as src, open(sys.argv[2] + "/" + name, "wb") as dst:
            dst.write(src.read())
PY
if ! echo "$LIB_SHA256  $tmp/$LIB" | sha256sum -c --status; then
  echo "install_ort: $LIB from the wheel does not have the pinned SHA-256; refusing it" >&2
  exit 1
fi
mkdir -p "$DEST"
install -m 0755 "$tmp/libonnxruntime_providers_shared.so" "$DEST/"
install -m 0755 "$tmp/$LIB" "$DEST/$LIB.partial"
mv "$DEST/$LIB.partial" "$DEST/$LIB"
ln -sf "$LIB" "$DEST/libonnxruntime.so.1"
ln -sf "$LIB" "$DEST/libonnxruntime.so"
echo "install_ort: installed $DEST/$LIB" >&2
