#!/usr/bin/env bash
# FP32 vs FP16 vs ORT-offline-optimised latency of the three replicas (release build), each variant
# run alternately with its FP32 original in the same invocation. Needs the shared models
# (FACEMIRROR_SHARED, default ../shared).
set -euo pipefail
cd "$(dirname "$0")/../.."
R=${FACEMIRROR_SHARED:-../shared}/models/replica
FM=.build/release/facemirror
RUNS=${RUNS:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$FM model optimize "$R/retinaface_mnet025_replica.onnx" "$work/retina720.onnx" --fix-shape input=1x3x720x1280 >/dev/null
for m in star_wflw98_replica mtl_effnetb0_replica retina720; do
  src="$R/$m.onnx"; [ "$m" = retina720 ] && src="$work/retina720.onnx"
  $FM model optimize "$src" "$work/$m.fp16.onnx" --fp16 | grep -E "MiB|photo input" || true
  $FM model optimize "$src" "$work/$m.ortall.onnx" --ort-level all >/dev/null
  echo "== $m: FP16 vs FP32"
  $FM bench "$work/$m.fp16.onnx" --baseline "$src" --ort-threads 2 --runs "$RUNS" | grep -E "median"
  echo "== $m: ORT-optimised file (loaded without further optimisation) vs FP32 loaded with ORT's optimisation"
  $FM bench "$work/$m.ortall.onnx" --ort-threads 2 --runs "$RUNS" --ort-level disabled | grep -E "median"
  echo "== $m: FP32 without any graph optimisation"
  $FM bench "$src" --ort-threads 2 --runs "$RUNS" --ort-level disabled | grep -E "median"
done
