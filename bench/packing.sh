#!/usr/bin/env bash
# Packing throughput and fill of every strategy (see bench/README.md). Run from anywhere:
#   bench/packing.sh [--documents 1000000] [--seq-lens 2048,8192] [--window-tokens 4194304] ...
# Builds into spark-job/$SEQPACK_TARGET (default target-bench) so it never touches target/.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${SEQPACK_TARGET:-target-bench}"
classpath_file="$PWD/spark-job/$target/bench-classpath.txt"
mvn -B -q -o -Dstyle.color=never -Dseqpack.target="$target" test-compile
mvn -B -q -o -Dstyle.color=never -Dseqpack.target="$target" -pl spark-job dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
exec java -Xms4g -Xmx4g \
  -cp "spark-job/$target/test-classes:spark-job/$target/classes:$(cat "$classpath_file")" \
  org.seqpack.bench.PackingBenchmark --cache "spark-job/$target/bench" "$@"
