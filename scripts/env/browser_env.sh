#!/usr/bin/env bash
# Makes .browserenv, the Python environment with Selenium (scripts/env/browser_requirements.txt) that the
# workspace's browser tests drive Debian's Chromium with, through Debian's chromium-driver.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=venv_common.sh
source scripts/env/venv_common.sh
make_venv .browserenv scripts/env/browser_requirements.txt
