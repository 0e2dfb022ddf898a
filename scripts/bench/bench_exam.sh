#!/usr/bin/env bash
# What the exam costs a video: `facemirror process` (release build) on VIDEO with the given options,
# ROUNDS rounds (default 3); from each run's <stem>_performance.json the exam's stage time (the
# timeline found or read, the analysis, its files), its stills' (each frame's two faces kept small,
# the sheet made at the end) and the pose's (OpenFace 2's face model fitted per
# frame, with its AUs) as a share of the run's wall time. Both stages are timed inside the same run
# as the rest of it, so no other machine's figure is needed.
#
#   [FACEMIRROR=BUILD] scripts/bench/bench_exam.sh VIDEO [PROCESS OPTIONS...]   (default build: .build/release)
#   e.g. scripts/bench/bench_exam.sh ../shared/testdata/noface_face.mov --au openface2
set -euo pipefail
cd "$(dirname "$0")/../.."
video=${1:?usage: bench_exam.sh VIDEO [PROCESS OPTIONS...]}
shift
rounds=${ROUNDS:-3}
bin=${FACEMIRROR:-.build/release/facemirror}
[ -x "$bin" ] || { echo "$(basename "$0"): build it first: swift build -c release --product facemirror" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stem=$(basename "${video%.*}")
echo "video: $video; options: $*; rounds: $rounds"
for r in $(seq "$rounds"); do
  "$bin" process "$video" -o "$work/r$r" --no-report -q "$@" >/dev/null
  python3 - "$work/r$r/${stem}_performance.json" "$r" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
stages = {s["name"]: s for s in d["stages"]}
def share(name):
    s = stages.get(name)
    return (0.0, 0.0) if s is None else (s["total_seconds"], s["percent_of_wall"])
exam, stills, pose = share("exam"), share("exam_stills"), share("pose")
print(f"round {sys.argv[2]}: {d['frames']} frames in {d['wall_seconds']:.2f} s; exam {exam[0]*1000:.1f} ms = {exam[1]:.2f} % of the run, "
      f"its stills {stills[0]*1000:.1f} ms = {stills[1]:.2f} %, together {exam[1] + stills[1]:.2f} %; pose {pose[0]*1000:.1f} ms = {pose[1]:.2f} %")
PY
done
