#!/usr/bin/env bash
# Release-build speed of `facemirror process` on 720p input with all three videos written.
# The clip is the bundled sample looped to FRAMES frames (default 300). Prints the performance
# report and the peak memory; run it twice with different FRAMES to see that memory stays flat.
set -euo pipefail
cd "$(dirname "$0")/../.."
FRAMES=${FRAMES:-300}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
loops=$(( (FRAMES + 59) / 60 - 1 ))
ffmpeg -v error -y -stream_loop "$loops" -i sample/grace_hopper_rot.mp4 -frames:v "$FRAMES" -c:v copy -c:a copy "$work/bench720p.mp4"
/usr/bin/time -f "peak memory: %M KiB" .build/release/facemirror process "$work/bench720p.mp4" -o "$work/out" "$@" 2>&1 \
  | grep -v "^  /" | grep -v "^wrote:"
