#!/usr/bin/env bash
# Makes .refenv, the Python environment of OpenFace 3.0's reference path (the shared folder's
# bench/requirements.txt: ONNX Runtime, OpenCV as OpenFace pins them), for the parity tests that
# run it. Does nothing when it is there already or when the shared folder is absent.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${FACEMIRROR_SHARED:-../shared}
req="$shared/bench/requirements.txt"
if [ ! -f "$req" ]; then
  echo "reference_env: no $req; the reference parity tests will skip" >&2
  exit 0
fi
# shellcheck source=venv_common.sh
source scripts/env/venv_common.sh
make_venv .refenv "$req"
