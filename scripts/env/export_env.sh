#!/usr/bin/env bash
# Makes .exportenv, the Python environment of scripts/models/export_openface3.py (scripts/models/requirements-export.txt),
# unless it is there already with the same requirements. ~2 minutes and ~6 GB (PyPI's torch on Linux
# brings CUDA's libraries).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=venv_common.sh
source scripts/env/venv_common.sh
make_venv .exportenv scripts/models/requirements-export.txt
