#!/usr/bin/env bash
# The overlapped pipeline against the sequential one (`process --pipeline`), alternating on one
# machine in one run, ROUNDS rounds (default 3); FPS = frames / wall time of each whole command.
# Any further arguments go to `process` (models, for the OpenFace 3.0 stack).
#
#   scripts/bench_pipeline.sh VIDEO [PROCESS OPTIONS...]
set -euo pipefail
cd "$(dirname "$0")/.."
video=${1:?usage: bench_pipeline.sh VIDEO [PROCESS OPTIONS...]}
shift
rounds=${ROUNDS:-3}
[ -x .build/release/facemirror ] || swift build -c release >&2
frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$video")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $video, $frames frames; $*"
seq_fps=(); ovl_fps=()
for r in $(seq "$rounds"); do
  for mode in sequential overlapped; do
    start=$(date +%s.%N)
    .build/release/facemirror process "$video" -o "$work/$mode$r" --pipeline "$mode" -q "$@" >/dev/null
    end=$(date +%s.%N)
    fps=$(python3 -c "print($frames / ($end - $start))")
    if [ "$mode" = sequential ]; then seq_fps+=("$fps"); else ovl_fps+=("$fps"); fi
  done
  python3 -c "s, o = ${seq_fps[-1]}, ${ovl_fps[-1]}; print(f'round $r: sequential {s:.2f} FPS, overlapped {o:.2f} FPS, ratio {o/s:.2f}')"
done
python3 - "${seq_fps[*]}" "${ovl_fps[*]}" <<'PY'
import statistics, sys
s = [float(x) for x in sys.argv[1].split()]
o = [float(x) for x in sys.argv[2].split()]
r = [b / a for a, b in zip(s, o)]
print(f"sequential {min(s):.2f}-{max(s):.2f} FPS, overlapped {min(o):.2f}-{max(o):.2f} FPS; overlapped / sequential {min(r):.2f}-{max(r):.2f} (median {statistics.median(r):.2f})")
PY
