#!/usr/bin/env bash
# The dlib stack against the limit of its own I/O, on one machine in one run: `ffmpeg` decoding the
# clip once and encoding it three times with facemirror's x264 settings (one command, three outputs:
# what `process` must at least do for its two mirrored videos and the debug video), and
# `facemirror process` writing all three videos (and its CSVs and report), alternating, ROUNDS rounds
# (default 3). FPS = frames / wall time of each whole command. Prints each round, the ratio
# facemirror / ffmpeg and its spread.
#
#   scripts/bench/bench_vs_ffmpeg.sh [VIDEO]     (default: ../shared/testdata/facetest_rot.mp4, else the sample)
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${FACEMIRROR_SHARED:-../shared}
default=$shared/testdata/facetest_rot.mp4
[ -f "$default" ] || default=sample/grace_hopper_rot.mp4
video=${1:-$default}
rounds=${ROUNDS:-3}
preset=${PRESET:-veryfast}
crf=${CRF:-18}
# shellcheck source=bench_common.sh
source scripts/bench/bench_common.sh
bench_start "$video" "x264 $preset CRF $crf"
x264=(-c:v libx264 -preset "$preset" -crf "$crf" -pix_fmt yuv420p -c:a copy)
ff_fps=(); fm_fps=()
for r in $(seq "$rounds"); do
  start=$(date +%s.%N)
  ffmpeg -v error -y -i "$video" -map 0:v -map 0:a? "${x264[@]}" "$work/a.mp4" -map 0:v -map 0:a? "${x264[@]}" "$work/b.mp4" \
      -map 0:v -map 0:a? "${x264[@]}" "$work/c.mp4"
  ff=$(python3 -c "print($frames / $(bench_seconds_since "$start"))")
  start=$(date +%s.%N)
  .build/release/facemirror process "$video" -o "$work/out$r" --preset "$preset" --crf "$crf" --au none -q >/dev/null
  fm=$(python3 -c "print($frames / $(bench_seconds_since "$start"))")
  ff_fps+=("$ff"); fm_fps+=("$fm")
  bench_round "$r" ffmpeg "$ff" facemirror "$fm"
done
bench_summary "ffmpeg (3 outputs)" "${ff_fps[*]}" facemirror "${fm_fps[*]}"
