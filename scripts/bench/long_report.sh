#!/usr/bin/env bash
# What a one-hour video's report and workspace page weigh: an hour (108 000 frames at 30 fps) of a
# real recording (../shared/testdata/single_face.mp4, looped) processed by the release build; then
# the sizes of <stem>_report.html and of the video's page in `facemirror serve`, and what fills them
# (pictures, plots, tables). Takes about half an hour on a 2-core machine.
#
# Usage: scripts/bench/long_report.sh [WORK_DIR] [--again]
#   WORK_DIR: default /tmp/facemirror-long-report; the video and its outputs are kept there.
#   --again: keep the outputs of an earlier run and only make the report again (`facemirror report`).
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${FACEMIRROR_SHARED:-../shared}
work=${1:-/tmp/facemirror-long-report}
again=${2:-}
bin=.build/release/facemirror
[ -x "$bin" ] || swift build -c release --product facemirror
mkdir -p "$work"
if [ ! -f "$work/hour.mp4" ]; then
  ffmpeg -v error -y -stream_loop -1 -i "$shared/testdata/single_face.mp4" -t 3600 -an -c:v libx264 -preset ultrafast -g 300 "$work/hour.mp4"
fi
if [ "$again" = --again ] && [ -d "$work/out" ]; then
  "$bin" report "$work/out" --overwrite
else
  rm -rf "$work/out"
  /usr/bin/time -f "processed in %e s" "$bin" process "$work/hour.mp4" -o "$work/out" --no-debug-video --preset ultrafast -q
fi

# The video's page as the workspace serves it.
"$bin" serve "$work/out" --port 0 > "$work/serve.txt" 2>/dev/null &
server=$!
trap 'kill -INT $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q token= "$work/serve.txt" 2>/dev/null && break; sleep 0.1; done
address=$(grep -o 'http://[^ ]*' "$work/serve.txt")
curl -s -b "facemirror_token=${address#*token=}" -o "$work/page.html" "${address%/?token=*}/study/1/video?path=hour.mp4"

python3 - "$work/out/hour_report.html" "$work/page.html" <<'PY'
import re, sys
for name in sys.argv[1:]:
    text = open(name, encoding="utf-8").read()
    parts = {
        "pictures (data: JPEG)": sum(len(m) for m in re.findall(r'<img[^>]*>', text)),
        "plots (SVG)": sum(len(m) for m in re.findall(r'<svg.*?</svg>', text, re.S)),
        "tables": sum(len(m) for m in re.findall(r'<table.*?</table>', text, re.S)),
    }
    print(f"{name}: {len(text.encode()) / 1e6:.2f} MB; " + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in parts.items()))
PY
