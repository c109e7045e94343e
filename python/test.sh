#!/usr/bin/env bash
# The Python loader's tests: the environment of python/venv.sh (pinned requirements, the package
# installed editable), then pytest. The tests run the job (submit/local.sh), so the Java build
# comes first: run after `mvn -B verify` (as the README's test command does).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python=$("$here/venv.sh")
export HF_HUB_OFFLINE=1
cd "$here"
exec "$python" -m pytest -q -W ignore::UserWarning tests "$@"
