#!/usr/bin/env bash
# Makes .exportenv, the Python environment of scripts/export_openface3.py (scripts/requirements-export.txt),
# unless it is there already with the same requirements. ~2 minutes and ~6 GB (PyPI's torch on Linux
# brings CUDA's libraries).
set -euo pipefail
cd "$(dirname "$0")/.."
req=scripts/requirements-export.txt
if [ -x .exportenv/bin/python ] && cmp -s "$req" .exportenv/requirements.txt; then
  exit 0
fi
rm -rf .exportenv
python3 -m venv .exportenv
.exportenv/bin/pip install -q -r "$req"
cp "$req" .exportenv/requirements.txt
echo "export_env: .exportenv ready" >&2
