#!/usr/bin/env bash
# The Python loader's tests: a virtual environment in python/.venv with the pinned requirements
# and the package installed editable, then pytest. The tests run the job (submit/local.sh), so the
# Java build comes first: run after `mvn -B verify` (as the README's test command does).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv="${SEQPACK_VENV:-$here/.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --retries 0 -q -r "$here/requirements.txt"
"$venv/bin/pip" install --retries 0 -q --no-deps -e "$here"
export HF_HUB_OFFLINE=1
cd "$here"
exec "$venv/bin/python" -m pytest -q -W ignore::UserWarning tests "$@"
