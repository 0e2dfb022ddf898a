#!/usr/bin/env bash
# The dlib stack against the limit of its own I/O, on one machine in one run: `ffmpeg` decoding the
# clip once and encoding it three times with facemirror's x264 settings (one command, three outputs:
# what `process` must at least do for its two mirrored videos and the debug video), and
# `facemirror process` writing all three videos (and its CSVs and report), alternating, ROUNDS rounds
# (default 3). FPS = frames / wall time of each whole command. Prints each round, the ratio
# facemirror / ffmpeg and its spread.
#
#   scripts/bench_vs_ffmpeg.sh [VIDEO]     (default: ../shared/testdata/facetest_rot.mp4, else the sample)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${FACEMIRROR_SHARED:-../shared}
default=$shared/testdata/facetest_rot.mp4
[ -f "$default" ] || default=sample/grace_hopper_rot.mp4
video=${1:-$default}
rounds=${ROUNDS:-3}
preset=${PRESET:-veryfast}
crf=${CRF:-18}
[ -f "$video" ] || { echo "bench_vs_ffmpeg: $video is missing" >&2; exit 1; }
[ -x .build/release/facemirror ] || swift build -c release >&2
frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$video")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $video, $frames frames; x264 $preset CRF $crf"
x264=(-c:v libx264 -preset "$preset" -crf "$crf" -pix_fmt yuv420p -c:a copy)
ff_fps=(); fm_fps=()
for r in $(seq "$rounds"); do
  start=$(date +%s.%N)
  ffmpeg -v error -y -i "$video" -map 0:v -map 0:a? "${x264[@]}" "$work/a.mp4" -map 0:v -map 0:a? "${x264[@]}" "$work/b.mp4" \
      -map 0:v -map 0:a? "${x264[@]}" "$work/c.mp4"
  mid=$(date +%s.%N)
  .build/release/facemirror process "$video" -o "$work/out$r" --preset "$preset" --crf "$crf" -q >/dev/null
  end=$(date +%s.%N)
  ff=$(python3 -c "print($frames / ($mid - $start))"); fm=$(python3 -c "print($frames / ($end - $mid))")
  ff_fps+=("$ff"); fm_fps+=("$fm")
  python3 -c "print(f'round $r: ffmpeg {float($ff):.1f} FPS, facemirror {float($fm):.1f} FPS, ratio {float($fm)/float($ff):.2f}')"
done
python3 - "${ff_fps[*]}" "${fm_fps[*]}" <<'PY'
import statistics, sys
ff = [float(x) for x in sys.argv[1].split()]
fm = [float(x) for x in sys.argv[2].split()]
ratios = [f / r for f, r in zip(fm, ff)]
print(f"ffmpeg (3 outputs) {min(ff):.1f}-{max(ff):.1f} FPS, facemirror {min(fm):.1f}-{max(fm):.1f} FPS; "
      f"facemirror / ffmpeg {min(ratios):.2f}-{max(ratios):.2f} (median {statistics.median(ratios):.2f})")
PY
