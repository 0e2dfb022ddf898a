#!/usr/bin/env bash
# This build against an earlier one, on one machine in one run: both `facemirror process` the same
# video with the same options (dlib stack, all outputs, no AUs), alternating, ROUNDS rounds (default 3).
# FPS = frames / wall time of each whole command. Prints each round, the ratio this / earlier and its
# spread. Make the earlier build in a worktree:
#
#   git worktree add /tmp/earlier COMMIT && (cd /tmp/earlier && swift build -c release --product facemirror)
#   scripts/bench/bench_vs_previous.sh /tmp/earlier/.build/release/facemirror [VIDEO]   (default: the sample)
set -euo pipefail
cd "$(dirname "$0")/../.."
earlier=${1:?usage: bench_vs_previous.sh EARLIER_FACEMIRROR [VIDEO]}
[ -x "$earlier" ] || { echo "$(basename "$0"): $earlier is not an executable" >&2; exit 1; }
video=${2:-sample/grace_hopper_rot.mp4}
rounds=${ROUNDS:-3}
# shellcheck source=bench_common.sh
source scripts/bench/bench_common.sh
bench_start "$video" "earlier: $earlier"
old_fps=(); new_fps=()
for r in $(seq "$rounds"); do
  start=$(date +%s.%N)
  "$earlier" process "$video" -o "$work/old$r" --au none -q >/dev/null
  old=$(python3 -c "print($frames / $(bench_seconds_since "$start"))")
  start=$(date +%s.%N)
  .build/release/facemirror process "$video" -o "$work/new$r" --au none -q >/dev/null
  new=$(python3 -c "print($frames / $(bench_seconds_since "$start"))")
  old_fps+=("$old"); new_fps+=("$new")
  bench_round "$r" earlier "$old" this "$new"
done
bench_summary earlier "${old_fps[*]}" this "${new_fps[*]}"
