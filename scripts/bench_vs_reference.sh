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
#   scripts/bench_vs_reference.sh [VIDEO]        (default: ../shared/testdata/facetest_rot.mp4)
#   ROUNDS=5 THREADS=2 scripts/bench_vs_reference.sh
set -euo pipefail
cd "$(dirname "$0")/.."
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
bash scripts/reference_env.sh
# shellcheck source=bench_common.sh
source scripts/bench_common.sh
bench_start "$video" "$threads threads"
ref_fps=(); fm_fps=()
for r in $(seq "$rounds"); do
  .refenv/bin/python "$shared/bench/of3_reference.py" "$video" --detector "$detector" --landmarks "$star" --au-model "$mtl" \
      --frames "$frames" --threads "$threads" --json "$work/ref.json" >/dev/null
  ref=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['fps'])" "$work/ref.json")
  start=$(date +%s.%N)
  .build/release/facemirror process "$video" -o "$work/out$r" --detector "$detector" --landmarks "$star" --au-model "$mtl" \
      --ort-threads "$threads" --threads "$threads" --no-debug-video -q >/dev/null
  fm=$(python3 -c "print($frames / $(bench_seconds_since "$start"))")
  ref_fps+=("$ref"); fm_fps+=("$fm")
  bench_round "$r" reference "$ref" facemirror "$fm"
done
bench_summary reference "${ref_fps[*]}" facemirror "${fm_fps[*]}"
