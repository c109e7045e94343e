#!/usr/bin/env bash
# train-tokenizer against Hugging Face's BpeTrainer (docs/TRAIN-TOKENIZER.md, "Measured"):
#   bench/train-tokenizer.sh                          ../shared's Europarl, V = 8192 and 32768
#   bench/train-tokenizer.sh --corpus FILE [--vocab-sizes 8192,32768] [--min-frequency 2]
# Every 100th document is held out; both train on the rest (Llama 3 pattern, byte-level alphabet);
# prints held-out bytes/token, training time and peak RSS of both as a Markdown table.
# Needs python/.venv (python/venv.sh) for Hugging Face tokenizers.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(python/venv.sh)
exec "$python" bench/train_tokenizer.py "$@"
