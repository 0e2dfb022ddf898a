#!/usr/bin/env bash
# facemirror's OpenFace 3.0 stack against OpenFace 3.0's own per-frame Python path, on one machine in
# one run: the reference (../shared/bench/of3_reference.py: RetinaFace → STAR → MTL, no decoding, no
# mirroring, MTL on one face crop, no video written) and `facemirror process` with the same three
# models (trained RetinaFace, the STAR and MTL replicas; AUs on both hemifaces, both mirrored videos,
# the report; no debug video), alternating, ROUNDS rounds each (default 3). Prints each round's FPS,
# the ratio facemirror / reference, and their spread. facemirror's FPS is frames / wall time of the
# whole command (model loading included); the reference's is its own timed loop (loading excluded),
# so the ratio is conservative.
#
# Three columns: the reference; facemirror FP32 (MTL made batchable with `model optimize
# --dynamic-batch`, so both hemifaces go through one run: same numbers, float32); facemirror with STAR
# in INT8 as well (`model optimize --int8`, calibrated on 16 frames of the video). The optimised files
# are made once per run, before the timed rounds.
#
#   scripts/bench/bench_vs_reference.sh [VIDEO]        (default: ../shared/testdata/facetest_rot.mp4)
#   ROUNDS=5 THREADS=2 scripts/bench/bench_vs_reference.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${FACEMIRROR_SHARED:-../shared}
video=${1:-$shared/testdata/facetest_rot.mp4}
rounds=${ROUNDS:-3}
threads=${THREADS:-$(nproc)}
models=$shared/models
detector=$models/trained/retinaface_mnet025_widerface_op17.onnx
star=$models/replica/star_wflw98_replica.onnx
mtl=$models/replica/mtl_effnetb0_replica.onnx
for f in "$video" "$detector" "$star" "$mtl" "$shared/bench/of3_reference.py"; do
  [ -f "$f" ] || { echo "bench_vs_reference: $f is missing (the shared folder: FACEMIRROR_SHARED)" >&2; exit 1; }
done
bash scripts/env/reference_env.sh
# shellcheck source=bench_common.sh
source scripts/bench/bench_common.sh
bench_start "$video" "$threads threads"
fm=.build/release/facemirror
"$fm" model optimize "$mtl" "$work/mtl_batch.onnx" --dynamic-batch >/dev/null
"$fm" model optimize "$star" "$work/star_int8.onnx" --int8 --calibration "$video" --calibration-frames 16 \
    --layer-report "$work/star_layers.csv" | grep -E "alone|in the network" || true
ref_fps=(); fm_fps=(); int8_fps=()
run_facemirror() {  # LANDMARKS OUT → FPS of the whole command
  local start
  start=$(date +%s.%N)
  "$fm" process "$video" -o "$2" --detector "$detector" --landmarks "$1" --au mtl --au-model "$work/mtl_batch.onnx" \
      --ort-threads "$threads" --threads "$threads" --no-debug-video -q >/dev/null
  python3 -c "print($frames / $(bench_seconds_since "$start"))"
}
for r in $(seq "$rounds"); do
  .refenv/bin/python "$shared/bench/of3_reference.py" "$video" --detector "$detector" --landmarks "$star" --au-model "$mtl" \
      --frames "$frames" --threads "$threads" --json "$work/ref.json" >/dev/null
  ref=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['fps'])" "$work/ref.json")
  fp32=$(run_facemirror "$star" "$work/fp32_$r")
  int8=$(run_facemirror "$work/star_int8.onnx" "$work/int8_$r")
  ref_fps+=("$ref"); fm_fps+=("$fp32"); int8_fps+=("$int8")
  bench_round "$r" reference "$ref" "facemirror-fp32" "$fp32"
  bench_round "$r" reference "$ref" "facemirror-int8" "$int8"
done
bench_summary reference "${ref_fps[*]}" "facemirror-fp32" "${fm_fps[*]}"
bench_summary reference "${ref_fps[*]}" "facemirror-int8" "${int8_fps[*]}"
