#!/usr/bin/env bash
# Release-build speed of the OpenFace 3.0 stack on 720p: trained RetinaFace + STAR and MTL replicas,
# AUs on both hemifaces, all three videos written. Needs the shared models (FACEMIRROR_SHARED,
# default ../shared). Runs the pipeline RUNS times (default 3) on FRAMES frames (default 40) of the
# sample, then the per-model latencies with `facemirror bench` in the same invocation.
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${FACEMIRROR_SHARED:-../shared}
FRAMES=${FRAMES:-40}
RUNS=${RUNS:-3}
M=$SHARED/models
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ffmpeg -v error -y -i sample/grace_hopper_rot.mp4 -frames:v "$FRAMES" -c:v libx264 -crf 16 -c:a copy "$work/clip.mp4"
for i in $(seq "$RUNS"); do
  .build/release/facemirror process "$work/clip.mp4" -o "$work/out" --overwrite \
    --detector "$M/trained/retinaface_mnet025_widerface_op17.onnx" \
    --landmarks "$M/replica/star_wflw98_replica.onnx" --au-model "$M/replica/mtl_effnetb0_replica.onnx" "$@" 2>/dev/null \
    | grep -E "pipeline FPS|_onnx_|detector ran"
done
.build/release/facemirror bench "$M/replica/star_wflw98_replica.onnx" "$M/replica/mtl_effnetb0_replica.onnx" --ort-threads 2
.build/release/facemirror bench "$M/trained/retinaface_mnet025_widerface_op17.onnx" --ort-threads 2 --shape 1x3x720x1280
