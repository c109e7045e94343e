#!/usr/bin/env bash
# Makes (once) the Python environment of the loader, its tests, the example and the benchmarks:
# python/.venv (or $SEQPACK_VENV) with the pinned requirements and seqpack_torch installed editable.
# Prints the environment's python.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv="${SEQPACK_VENV:-$here/.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
"$venv/bin/pip" install --retries 0 -q -r "$here/requirements.txt" >&2
"$venv/bin/pip" install --retries 0 -q --no-deps -e "$here" >&2
echo "$venv/bin/python"
