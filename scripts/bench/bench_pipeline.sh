#!/usr/bin/env bash
# The overlapped pipeline against the sequential one (`process --pipeline`), alternating on one
# machine in one run, ROUNDS rounds (default 3); FPS = frames / wall time of each whole command.
# Any further arguments go to `process` (models, for the OpenFace 3.0 stack).
#
#   scripts/bench/bench_pipeline.sh VIDEO [PROCESS OPTIONS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
video=${1:?usage: bench_pipeline.sh VIDEO [PROCESS OPTIONS...]}
shift
rounds=${ROUNDS:-3}
# shellcheck source=bench_common.sh
source scripts/bench/bench_common.sh
bench_start "$video" "$*"
seq_fps=(); ovl_fps=()
for r in $(seq "$rounds"); do
  for mode in sequential overlapped; do
    start=$(date +%s.%N)
    .build/release/facemirror process "$video" -o "$work/$mode$r" --pipeline "$mode" -q "$@" >/dev/null
    fps=$(python3 -c "print($frames / $(bench_seconds_since "$start"))")
    if [ "$mode" = sequential ]; then seq_fps+=("$fps"); else ovl_fps+=("$fps"); fi
  done
  bench_round "$r" sequential "${seq_fps[-1]}" overlapped "${ovl_fps[-1]}"
done
bench_summary sequential "${seq_fps[*]}" overlapped "${ovl_fps[*]}"
