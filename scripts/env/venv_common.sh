# Shared by the scripts that make a Python environment (sourced, not run).
#
#   make_venv DIR REQUIREMENTS    a venv at DIR with REQUIREMENTS installed, unless DIR already holds
#                                 one made from the same file (kept as DIR/requirements.txt)

make_venv() {
  local dir=$1 req=$2
  if [ -x "$dir/bin/python" ] && cmp -s "$req" "$dir/requirements.txt"; then
    return 0
  fi
  rm -rf "$dir"
  python3 -m venv "$dir"
  "$dir/bin/pip" install -q -r "$req"
  cp "$req" "$dir/requirements.txt"
  echo "$(basename "$0"): $dir ready" >&2
}
