#!/usr/bin/env bash
# OpenFace 2's AU stages, on one machine in one run:
#  1. per face: OpenFace 2's Python reference (../shared/models/openface2/reference, pyfaceau 1.4.1's own
#     classes, in .of2env made once by scripts/env/openface2_reference_env.sh) and `facemirror bench
#     --openface2-stages`, on the same clip with the same 68 landmarks, alternating, ROUNDS rounds
#     (default 3): the mean ms per face of PDM fit, alignment and mask, FHOG, geometry, running median
#     and SVR (the first face left out by both), and reference / facemirror;
#  2. the whole default-stack job (dlib, both mirrored videos and the debug video) with OpenFace 2's AUs on
#     both hemifaces and without AUs (--au none), alternating: wall time with / without.
#
#   scripts/bench/bench_openface2.sh [VIDEO LANDMARKS_CSV [JOB_VIDEO]]
#   (defaults: the reference's moving clip and its landmarks; the job on ../shared/testdata/facetest_rot.mp4)
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${FACEMIRROR_SHARED:-../shared}
of2=$shared/models/openface2
video=${1:-$of2/golden/rot/grace_hopper_rot.mp4}
landmarks=${2:-$of2/golden/rot/grace_hopper_rot_landmarks.csv}
job=${3:-$shared/testdata/facetest_rot.mp4}
[ -f "$job" ] || job=sample/grace_hopper_rot.mp4
rounds=${ROUNDS:-3}
bash scripts/env/openface2_reference_env.sh
# shellcheck source=bench_common.sh
source scripts/bench/bench_common.sh
bench_start "$video" "OpenFace 2 AU stages per face; job on $job"
stem=$(basename "${video%.*}")
ref_ms=(); fm_ms=()
for r in $(seq "$rounds"); do
  .of2env/bin/python "$of2/reference/of2_reference.py" "$video" "$landmarks" "$of2/models" "$work/ref$r" >/dev/null 2>&1
  ref=$(python3 -c "import json; print(json.load(open('$work/ref$r/${stem}_timings.json'))['total_per_frame']['mean_ms_excl_first'])")
  fm=$(.build/release/facemirror bench --openface2-stages "$video" --landmarks-csv "$landmarks" --openface2 "$of2/models" \
       --passes 1 --json | python3 -c "import json, sys; print(json.load(sys.stdin)['open_face2_stages']['total_mean_ms'])")
  ref_ms+=("$ref"); fm_ms+=("$fm")
  python3 -c "print(f'round $r: reference {$ref:.2f} ms per face, facemirror {$fm:.2f} ms per face, reference / facemirror {$ref / $fm:.2f}')"
done
python3 - "${ref_ms[*]}" "${fm_ms[*]}" <<'PY'
import statistics, sys
ref, fm = [float(x) for x in sys.argv[1].split()], [float(x) for x in sys.argv[2].split()]
ratios = [a / b for a, b in zip(ref, fm)]
print(f"per face: reference {min(ref):.2f}-{max(ref):.2f} ms, facemirror {min(fm):.2f}-{max(fm):.2f} ms, "
      f"reference / facemirror {min(ratios):.2f}-{max(ratios):.2f} (median {statistics.median(ratios):.2f})")
PY
job_frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$job")
with=(); without=()
for r in $(seq "$rounds"); do
  start=$(date +%s.%N)
  .build/release/facemirror process "$job" -o "$work/none$r" --au none -q >/dev/null
  a=$(bench_seconds_since "$start")
  start=$(date +%s.%N)
  .build/release/facemirror process "$job" -o "$work/of2$r" --au openface2 --openface2 "$of2/models" -q >/dev/null
  b=$(bench_seconds_since "$start")
  without+=("$a"); with+=("$b")
  python3 -c "print(f'round $r: job ($job_frames frames) without AUs {$a:.2f} s, with OpenFace 2 AUs {$b:.2f} s, with / without {$b / $a:.2f}')"
done
python3 - "${without[*]}" "${with[*]}" <<'PY'
import statistics, sys
a, b = [float(x) for x in sys.argv[1].split()], [float(x) for x in sys.argv[2].split()]
ratios = [y / x for x, y in zip(a, b)]
print(f"job: with / without AUs {min(ratios):.2f}-{max(ratios):.2f} (median {statistics.median(ratios):.2f})")
PY
