#!/usr/bin/env bash
# Builds each module on its own, each in a fresh build folder of its own, so that a module that
# imports something its Package.swift entry does not list fails here (in a shared build folder the
# other module's build products would hide it). Slow: every folder builds its dependencies anew.
set -euo pipefail
cd "$(dirname "$0")/../.."
targets=${*:-FaceMirrorCore MediaBinding VisionBinding OrtBinding FaceMirror ModelStore ModelToolchain facemirror}
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
for t in $targets; do
  start=$(date +%s)
  if swift build --scratch-path "$base/$t" --target "$t" >"$base/$t.log" 2>&1; then
    echo "$t: builds on its own ($(( $(date +%s) - start )) s)"
  else
    echo "$t: FAILED"; grep -E "error:" "$base/$t.log" | head -20; exit 1
  fi
  rm -rf "${base:?}/$t"
done
