# Shared by the side-by-side benchmark scripts (sourced, not run).
#
#   bench_start VIDEO "what"        sets $frames (frames in VIDEO) and $work (a scratch folder removed
#                                   at exit), builds the release binary if missing, prints the machine
#   bench_seconds_since START       wall seconds since a `date +%s.%N` value
#   bench_round R A_NAME A_FPS B_NAME B_FPS    one round's line: both FPS and B / A
#   bench_summary A_NAME "A FPS..." B_NAME "B FPS..."   ranges of both and of B / A, with its median

bench_start() {
  local video=$1
  [ -f "$video" ] || { echo "$(basename "$0"): $video is missing" >&2; exit 1; }
  [ -x .build/release/facemirror ] || swift build -c release >&2
  frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$video")
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $video, $frames frames; $2"
}

bench_seconds_since() {
  awk -v start="$1" -v now="$(date +%s.%N)" 'BEGIN { print now - start }'
}

bench_round() {
  python3 -c "a, b = $3, $5; print(f'round $1: $2 {a:.2f} FPS, $4 {b:.2f} FPS, ratio {b / a:.2f}')"
}

bench_summary() {
  python3 - "$1" "$2" "$3" "$4" <<'PY'
import statistics, sys
a_name, a, b_name, b = sys.argv[1], [float(x) for x in sys.argv[2].split()], sys.argv[3], [float(x) for x in sys.argv[4].split()]
r = [y / x for x, y in zip(a, b)]
print(f"{a_name} {min(a):.2f}-{max(a):.2f} FPS, {b_name} {min(b):.2f}-{max(b):.2f} FPS; "
      f"{b_name} / {a_name} {min(r):.2f}-{max(r):.2f} (median {statistics.median(r):.2f})")
PY
}
