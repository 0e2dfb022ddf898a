#!/usr/bin/env bash
# Regenerates Sources/ONNXProto/onnx.pb.swift from onnx.proto of the pinned `onnx` release.
# Not part of the build: the generated file is committed (building the protoc plugin takes minutes).
# Needs Debian's protobuf-compiler and network access to PyPI.
set -euo pipefail
cd "$(dirname "$0")/../.."
ONNX_VERSION=1.23.2
PROTO_SHA256=547214dd049486a4d5ecbae593e9c72d90b5e8d603944b722eff469e0b5a9cc9
SWIFT_PROTOBUF_VERSION=1.39.0

command -v protoc >/dev/null || { echo "needs protoc: apt-get install protobuf-compiler" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
  --platform manylinux_2_28_x86_64 "onnx==$ONNX_VERSION" -d "$work"
python3 - "$work" <<'PY'
import glob, sys, zipfile
with zipfile.ZipFile(glob.glob(sys.argv[1] + "/onnx-*.whl")[0]) as z:
    open(sys.argv[1] + "/onnx.proto", "wb").write(z.read("onnx/onnx.proto"))
PY
echo "$PROTO_SHA256  $work/onnx.proto" | sha256sum -c --status || { echo "onnx.proto is not the pinned one" >&2; exit 1; }
git clone -q --branch "$SWIFT_PROTOBUF_VERSION" https://github.com/apple/swift-protobuf "$work/swift-protobuf"
(cd "$work/swift-protobuf" && swift build -c release --product protoc-gen-swift >/dev/null)
protoc --plugin="$work/swift-protobuf/.build/release/protoc-gen-swift" --proto_path="$work" \
  --swift_opt=Visibility=Public --swift_out=Sources/ONNXProto "$work/onnx.proto"
echo "wrote Sources/ONNXProto/onnx.pb.swift (onnx $ONNX_VERSION, swift-protobuf $SWIFT_PROTOBUF_VERSION)"
