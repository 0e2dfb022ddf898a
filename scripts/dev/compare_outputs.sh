#!/usr/bin/env bash
# Checks that a change moved no number: builds REV (default HEAD, i.e. the last commit) in a git
# worktree and the working tree, both release, runs the same `process` commands with each, and
# compares every CSV and the asymmetry summary byte for byte (the provenance and performance files
# hold times and paths and are left out; the videos are reported, not required to match).
#
#   scripts/dev/compare_outputs.sh [REV]
#
# The runs: the sample on the dlib stack without AUs; the sample on RetinaFace + STAR + MTL (the
# shared replicas); a real clip (../shared/testdata/facetest_rot.mp4) on the dlib stack with OpenFace
# 2's AUs (the shared copy of its models); the sample on the replicas with OpenFace 2's and MTL's AUs.
# Needs the shared folder (FACEMIRROR_SHARED, default ../shared). Exit status 1 when any file differs.
set -euo pipefail
cd "$(dirname "$0")/../.."
rev=${1:-HEAD}
shared=${FACEMIRROR_SHARED:-../shared}
shared=$(cd "$shared" && pwd)
replica=$shared/models/replica
[ -f sample/grace_hopper_rot.mp4 ] || make sample >/dev/null
work=.build-compare
tree=$work/tree
mkdir -p "$work"
if [ -d "$tree" ]; then git worktree remove --force "$tree"; fi
git worktree add --detach "$tree" "$rev" >/dev/null 2>&1
echo "reference: $(git -C "$tree" describe --tags --always) ($rev); candidate: the working tree"
(cd "$tree" && FACEMIRROR_DEBUG_O2=1 swift build -c release >/dev/null)
swift build -c release >/dev/null
ref=$tree/.build/release/facemirror
new=.build/release/facemirror

runs=(
  "dlib_sample|sample/grace_hopper_rot.mp4 --au none"
  "onnx_mtl|sample/grace_hopper_rot.mp4 --detector $replica/retinaface_mnet025_replica.onnx --landmarks $replica/star_wflw98_replica.onnx --au-model $replica/mtl_effnetb0_replica.onnx --au mtl"
  "dlib_openface2|$shared/testdata/facetest_rot.mp4 --au openface2 --openface2 $shared/models/openface2/models"
  "onnx_both|sample/grace_hopper_rot.mp4 --detector $replica/retinaface_mnet025_replica.onnx --landmarks $replica/star_wflw98_replica.onnx --au-model $replica/mtl_effnetb0_replica.onnx --au mtl --au openface2 --openface2 $shared/models/openface2/models"
)
status=0
for run in "${runs[@]}"; do
  name=${run%%|*}; args=${run#*|}
  rm -rf "$work/out/$name"
  for side in ref new; do
    bin=$ref; [ "$side" = new ] && bin=$new
    # shellcheck disable=SC2086
    "$bin" process $args -o "$work/out/$name/$side" --no-report -q --threads 1 >/dev/null
  done
  echo "== $name: process $args"
  compared=0
  for f in "$work/out/$name/ref/"*.csv "$work/out/$name/ref/"*_asymmetry_summary.json; do
    base=$(basename "$f")
    compared=$((compared + 1))
    if [ ! -f "$work/out/$name/new/$base" ]; then echo "  MISSING  $base"; status=1
    elif cmp -s "$f" "$work/out/$name/new/$base"; then echo "  identical  $base ($(wc -c < "$f") bytes, sha256 $(sha256sum < "$f" | cut -c1-12))"
    else echo "  DIFFERS  $base"; status=1; fi
  done
  for f in "$work/out/$name/new/"*.csv "$work/out/$name/new/"*_asymmetry_summary.json; do
    [ -f "$work/out/$name/ref/$(basename "$f")" ] || { echo "  EXTRA  $(basename "$f")"; status=1; }
  done
  for f in "$work/out/$name/ref/"*.mp4; do
    base=$(basename "$f")
    if cmp -s "$f" "$work/out/$name/new/$base"; then echo "  (video identical  $base)"; else echo "  (video differs  $base)"; fi
  done
  [ "$compared" -gt 0 ] || { echo "  no outputs to compare"; status=1; }
done
git worktree remove --force "$tree"
[ "$status" -eq 0 ] && echo "all compared files identical" || echo "some files differ"
exit "$status"
