#!/usr/bin/env bash
# Runs the job in Spark local mode on all cores of this machine.
#
#   submit/local.sh                      the default run: conf/local.properties
#   submit/local.sh [job flags...]       e.g. --config conf/local.properties --seq-len 2048
#   submit/local.sh --dry-run [...]      print the command instead of running it
#
# With SPARK_HOME set (or spark-submit on the PATH) it uses that Spark's spark-submit and the
# cluster jar; otherwise it runs the Maven-resolved Spark jars with plain java. Builds first when
# the sources are newer than the build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

dry_run=false
if [ "${1:-}" = "--dry-run" ]; then
  dry_run=true
  shift
fi
if [ $# -eq 0 ]; then
  set -- --config conf/local.properties
fi

target=spark-job/target
jar=$(ls "$target"/seqpack-spark-job-*-cluster.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ] || [ ! -f "$target/classpath.txt" ] \
  || [ -n "$(find spark-job/src/main spark-job/pom.xml pom.xml -newer "$jar" -print -quit)" ]; then
  if [ "$dry_run" = false ]; then
    echo "Building (mvn package -DskipTests)..." >&2
    mvn -B -q -DskipTests package >&2
    jar=$(ls "$target"/seqpack-spark-job-*-cluster.jar | head -n 1)
  fi
fi

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export OPT_OUT_TRACKING=true
export DJL_OFFLINE=true
driver_memory="${SEQPACK_DRIVER_MEMORY:-2g}"
spark_submit=""
if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  spark_submit="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit >/dev/null 2>&1; then
  spark_submit=$(command -v spark-submit)
fi

if [ -n "$spark_submit" ]; then
  cmd=("$spark_submit" --master "local[*]" --driver-memory "$driver_memory"
    --conf spark.ui.enabled=false
    --conf "spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=$root/conf/log4j2.properties"
    --class org.seqpack.cli.Main "$jar" "$@")
else
  opens=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)
  # shellcheck disable=SC2206
  cmd=(java "-Xmx$driver_memory" $opens
    "-Dspark.master=local[*]" -Dspark.ui.enabled=false
    "-Dlog4j2.configurationFile=$root/conf/log4j2.properties"
    -cp "$target/classes:$(cat "$target/classpath.txt" 2>/dev/null || echo '<classpath.txt after build>')"
    org.seqpack.cli.Main "$@")
fi

if [ "$dry_run" = true ]; then
  printf '%q ' "${cmd[@]}"
  echo
  exit 0
fi
exec "${cmd[@]}"
