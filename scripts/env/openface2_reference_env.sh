#!/usr/bin/env bash
# Makes .of2env, the Python environment of OpenFace 2's AU reference (pyfaceau 1.4.1 and its pinned
# dependencies, ../shared/models/openface2/reference/requirements.lock), once: it is large (~6 GB, pyfaceau
# pulls PyTorch), so it is kept and reused while the lock file is unchanged.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${FACEMIRROR_SHARED:-../shared}
req="$shared/models/openface2/reference/requirements.lock"
if [ ! -f "$req" ]; then
  echo "openface2_reference_env: no $req (the shared folder holds the reference)" >&2
  exit 1
fi
# shellcheck source=venv_common.sh
source scripts/env/venv_common.sh
make_venv .of2env "$req"
