#!/usr/bin/env bash
# Replays the hostile inputs of issue 21 against a build and prints one line per case:
#   ok   CASE: what the tool did        (the safe behaviour)
#   BAD  CASE: what happened instead
# Every case runs in a scratch folder; files outside it that a case aims at ("victims") are checked to
# be untouched. Needs python3 (sqlite3 module), ffmpeg, and the sample (`make sample`). As root it also
# mounts a small tmpfs (the full-disk case); otherwise that case is left out and said so.
#
#   scripts/dev/hostile.sh [FACEMIRROR]        (default: .build/debug/facemirror)
set -uo pipefail
cd "$(dirname "$0")/../.."
fm=$(realpath "${1:-.build/debug/facemirror}")
[ -x "$fm" ] || { echo "$(basename "$0"): $fm is not an executable (swift build first)" >&2; exit 2; }
sample=$(realpath sample/grace_hopper_rot.mp4)
[ -f "$sample" ] || { echo "$(basename "$0"): no sample; run make sample" >&2; exit 2; }
replicas=$(realpath "${FACEMIRROR_SHARED:-../shared}/models/replica")
[ -f "$replicas/retinaface_mnet025_replica.onnx" ] || { echo "$(basename "$0"): needs the replicas in $replicas (FACEMIRROR_SHARED)" >&2; exit 2; }
work=$(mktemp -d /tmp/fm-hostile.XXXXXX)
trap 'mountpoint -q "$work/small" && umount "$work/small"; rm -rf "$work"' EXIT
cd "$work"
export FACEMIRROR_MODELS=$work/store
good=0 bad=0
say() {  # say ok|bad CASE TEXT
  if [ "$1" = ok ]; then good=$((good + 1)); printf 'ok   %s: %s\n' "$2" "$3"; else bad=$((bad + 1)); printf 'BAD  %s: %s\n' "$2" "$3"; fi
}
# check CASE CONDITION-COMMAND TEXT: ok when the condition holds.
check() { if eval "$2"; then say ok "$1" "$3"; else say bad "$1" "$3"; fi; }
# run: the tool with a time limit; its stdout+stderr in $out, its status in $rc.
run() { out=$(timeout 120 "$fm" "$@" 2>&1); rc=$?; }
# last: the tool's last error line (else its last line), shortened.
last() {
  local line
  line=$(printf '%s' "$out" | grep -E 'error:|failed:|^Error:' | tail -1)
  [ -n "$line" ] || line=$(printf '%s' "$out" | grep -v '^note:' | tail -1)
  printf '%s' "$line" | sed -e 's/^facemirror: error: //' -e 's/^Error: //' -e 's/^ *failed: //' | cut -c1-150
}
sql() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()" "$@"; }

ffmpeg -v error -i "$sample" -frames:v 8 -c:v libx264 -preset ultrafast -an clip.mp4
mkdir -p vids && cp clip.mp4 vids/v.mp4
run process vids -o study --no-debug-video -q
state=study/facemirror-study.sqlite

# --- Paths from files never leave their folder
echo victim > victim.txt
sql "$state" "UPDATE video SET outputs='[{\"path\":\"../victim.txt\",\"bytes\":7,\"sha256\":\"00\"}]', fingerprint='changed'"
run process vids -o study --no-debug-video -q
check "state outputs ../victim.txt" '[ "$(cat victim.txt)" = victim ]' "process left the file outside the study alone"
run process vids -o study --no-debug-video -q --redo all
sql "$state" "INSERT INTO video (path, source, bytes, modified, status, attempts) VALUES ('../pwn/x.mp4', '$work/clip.mp4', 1, 0, 'done', 1)"
run report study
check "state row ../pwn/x.mp4" '[ ! -e pwn ]' "report wrote nothing outside the study ($(last))"
printf '[{"name":"pwn","file":"../../pwned3.onnx","sha256":"00","source":"https://example.invalid/x.onnx","licence":"MIT"}]' > cat.json
out=$(FACEMIRROR_MODEL_CATALOG=$work/cat.json timeout 60 "$fm" model fetch pwn 2>&1); rc=$?
check "catalogue file ../../pwned3.onnx" '[ $rc -ne 0 ] && ! ls -a .. | grep -q pwned3' "$(last)"
cp "$replicas/retinaface_mnet025_replica.onnx" m.onnx
run model import m.onnx --name ../../evil
check "model import --name ../../evil" '[ $rc -ne 0 ]' "$(last)"
run model install m.onnx --as ../../x
check "model install --as ../../x" '[ $rc -ne 0 ] && [ ! -e ../x.onnx ]' "$(last)"

# --- Nothing overwritten without --overwrite
echo "<p>someone's page</p>" > study/index.html
run report study
check "report over someone's index.html" 'grep -q "someone" study/index.html' "$(last)"
echo "a,b" > study/study_summary.csv
run study summarize study
check "summarize over someone's csv" '[ "$(cat study/study_summary.csv)" = "a,b" ]' "$(last)"
echo kept > elsewhere.csv && ln -s "$work/elsewhere.csv" link.csv
run study summarize study -o link.csv --overwrite
check "summarize -o a link" '[ -L link.csv ] && [ "$(cat elsewhere.csv)" = kept ]' "$(last)"
if [ "$(id -u)" = 0 ]; then
  run study summarize study -o /dev/full --overwrite
  check "summarize -o /dev/full as root" '[ -c /dev/full ]' "$(last)"
fi
cp m.onnx y.onnx
run model optimize y.onnx y.onnx
check "model optimize y.onnx y.onnx" '[ $rc -ne 0 ] && cmp -s y.onnx m.onnx' "$(last)"
echo existing > existing.onnx
run model optimize m.onnx existing.onnx
check "model optimize over an existing file" '[ "$(cat existing.onnx)" = existing ]' "$(last)"
mkdir -p a b && cp m.onnx a/s.onnx && cp "$replicas/star_wflw98_replica.onnx" b/s.onnx
run model import a/s.onnx; run model import b/s.onnx
check "second model import, same stem" '[ $rc -ne 0 ] && cmp -s store/s.onnx a/s.onnx' "$(last)"
mkdir -p out1/clip_landmarks.csv
run process clip.mp4 -o out1 --overwrite --no-debug-video
check "folder at an output name" '[ $rc -ne 0 ] && [ -d out1/clip_landmarks.csv ] && ! ls -a out1 | grep -q replaced' "$(last)"

# --- One study, one meaning
mkdir -p coll/A coll/B && cp clip.mp4 coll/A/v.mp4 && ffmpeg -v error -i "$sample" -ss 1 -frames:v 8 -c:v libx264 -preset ultrafast -an coll/B/v.mp4
run process coll/A -o O --no-debug-video -q; run process coll/B -o O --no-debug-video
check "another folder's v.mp4 into the same study" '[ $rc -ne 0 ] && printf "%s" "$out" | grep -q "coll/A/v.mp4" && printf "%s" "$out" | grep -q "coll/B/v.mp4"' "$(last)"
mkdir -p long && ffmpeg -v error -stream_loop 20 -i "$sample" -frames:v 200 -c:v libx264 -preset ultrafast -an long/l.mp4
cp clip.mp4 long/m.mp4
timeout 300 "$fm" process long -o L -q --threads 1 >/dev/null 2>&1 & first=$!
sleep 4
run process long -o L --no-debug-video --threads 1
wait $first
check "two runs with other settings at once" 'printf "%s" "$out" | grep -q "processing this study with other settings"' "$(last)"
(python3 -c "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN EXCLUSIVE'); time.sleep(5)" L/facemirror-study.sqlite &)
sleep 0.5
run process long -o L -q --threads 1
check "a locked state file" 'printf "%s" "$out" | grep -q "waiting for PID"' "$(printf '%s' "$out" | grep -m1 'waiting for' | cut -c1-150)"

# --- Bounded work and no hangs
for opt in "--threads 100000" "--jobs 1000" "--ort-threads 100000" "--jobs -1"; do
  run process clip.mp4 -o B $opt
  check "process $opt" '[ $rc -ne 0 ] && [ ! -e B ]' "$(last)"
done
run model analyze m.onnx --shape input=1x3x100000x100000
check "--shape 1x3x100000x100000" '[ $rc -ne 0 ] && [ $rc -ne 134 ]' "$(last)"
mkfifo fifo.onnx && ln -s /dev/zero zero.onnx && head -c 1000 /dev/urandom > random.onnx && : > empty.onnx
for f in fifo.onnx zero.onnx random.onnx empty.onnx; do
  run model import $f
  check "model import $f" '[ $rc -ne 0 ] && [ $rc -ne 124 ] && ! ls -a store | grep -q partial' "$(last)"
done
run process clip.mp4 -o F --detector fifo.onnx
check "process --detector FIFO" '[ $rc -ne 0 ] && [ $rc -ne 124 ]' "$(last)"
long=$(printf 'patient_0042_session_3_%.0s' $(seq 11) | cut -c1-240)
printf 'not a video' > "$long.mp4"
run process "$long.mp4" -o N
check "240-character name" 'printf "%s" "$out" | grep -q "byte name"' "$(last | cut -c1-60)…"

# --- Results that cannot pass when they are wrong
csv=study/v_landmarks.csv
head -1 $csv > header_only.csv
run validate $csv header_only.csv
check "validate against a header-only CSV" '[ $rc -ne 0 ]' "$(last)"
(cat $csv; tail -n +2 $csv) > doubled.csv
run validate $csv doubled.csv
check "validate with repeated rows" '[ $rc -ne 0 ]' "$(last)"
python3 -c "import sys; l=open(sys.argv[1]).read().split('\n'); h=l[1].split(','); h[6]='abc'; l[1]=','.join(h); open('bad.csv','w').write('\n'.join(l))" $csv
run validate $csv bad.csv
check "validate with abc as a value" '[ $rc -ne 0 ]' "$(last)"
run process clip.mp4 -o J --no-debug-video --json-log /dev/full
check "--json-log /dev/full" '[ $rc -ne 0 ]' "$(last)"
if [ "$(id -u)" = 0 ] && mkdir -p small && mount -t tmpfs -o size=32k tmpfs small 2>/dev/null; then
  head -c 28672 /dev/zero > small/fill
  run process clip.mp4 -o small/out --no-debug-video
  check "a full disk" '[ $rc -ne 0 ] && [ ! -e small/out/facemirror-study.sqlite ]' "$(last)"
  umount small
else
  echo "--   a full disk: left out (mounting a tmpfs needs root)"
fi

# --- Text that goes to other programs
mkdir -p f && cp clip.mp4 "f/=1+2.mp4"
run process f -o FO --no-debug-video -q; run study summarize FO
check "=1+2.mp4 in study_summary.csv" "grep -q \"'=1+2.mp4\" FO/study_summary.csv" "$(grep -m1 '1+2' FO/study_summary.csv | cut -c1-40)"

# --- Messages
for c in "validate study study" "validate /dev/zero /dev/zero" "model optimize m.onnx missing/x.onnx" "report /dev/zero"; do
  run $c
  check "message: $c" '! printf "%s" "$out" | grep -q "Domain=\|could not be completed\|error 256"' "$(last)"
done
mkdir -p S/facemirror-study.sqlite
run process clip.mp4 -o S --no-debug-video
check "message: state file is a folder" '! printf "%s" "$out" | grep -q "disk I/O"' "$(last)"

# --- The same video, the same files
ffmpeg -v error -i "$sample" -frames:v 12 -vf scale=641:361 -c:v libx264 -pix_fmt yuv444p -preset ultrafast -an c.mp4
mkdir -p ac cc && cp clip.mp4 ac/a.mp4 && cp c.mp4 ac/c.mp4 && cp c.mp4 cc/c.mp4
run process ac -o R1 -q --threads 1; run process cc -o R2 -q --threads 1
check "mirrored videos whatever came before" 'cmp -s R1/c_right_mirrored.mp4 R2/c_right_mirrored.mp4 && cmp -s R1/c_left_mirrored.mp4 R2/c_left_mirrored.mp4' "c after a.mp4 and c alone"

echo "$good ok, $bad bad"
[ "$bad" -eq 0 ]
