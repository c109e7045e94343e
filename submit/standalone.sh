#!/usr/bin/env bash
# Submits the job to a Spark standalone cluster in client deploy mode (the driver runs here).
#
#   submit/standalone.sh [--dry-run] [--conf-file FILE] [spark-submit options...] -- [job flags...]
#   submit/standalone.sh --master spark://head:7077 -- --config conf/my-run.properties
#   submit/standalone.sh --dry-run -- --config conf/local.properties     print the command only
#
# Spark settings come from conf/standalone.conf (or --conf-file FILE): one `key value` per line,
# passed as --conf (spark.master as --master); spark-submit options given before `--` follow them
# and win. Job flags go after `--`; without `--`, every argument is a job flag; with none, the
# default run (--config conf/local.properties, as local.sh). Input, tokenizer and output paths
# must be readable by the driver and every worker: a shared filesystem, hdfs:, s3a:... (relative
# local paths are resolved against the repository folder on the driver).
#
# Uses $SPARK_HOME/bin/spark-submit or spark-submit on the PATH; without either, the Maven-resolved
# Spark jars (spark-job/$SEQPACK_TARGET/classpath.txt) with plain java. SEQPACK_JAR names the cluster
# jar; otherwise spark-job/$SEQPACK_TARGET/seqpack-spark-job-*-cluster.jar, built when needed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

dry_run=false
conf_file=conf/standalone.conf
spark_args=()
separated=false
for arg in "$@"; do [ "$arg" = "--" ] && separated=true && break; done
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=true; shift ;;
    --conf-file) conf_file="${2:?--conf-file needs a file}"; shift 2 ;;
    --) shift; break ;;
    *) if [ "$separated" = true ]; then spark_args+=("$1"); shift; else break; fi ;;
  esac
done
if [ $# -eq 0 ]; then
  set -- --config conf/local.properties
fi
job_args=("$@")

# Spark settings file, spark-defaults format: `key value` or `key=value`; # starts a comment line.
master=""
conf_args=()
driver_memory=""
driver_java_options=""
[ -f "$conf_file" ] || { echo "standalone.sh: no conf file '$conf_file'" >&2; exit 2; }
while IFS= read -r line || [ -n "$line" ]; do
  line="${line#"${line%%[![:space:]]*}"}"
  case "$line" in '' | '#'* | '!'*) continue ;; esac
  key="${line%%[[:space:]=]*}"
  value="${line#"$key"}"
  value="${value#"${value%%[![:space:]=]*}"}"
  value="${value%"${value##*[![:space:]]}"}"
  case "$key" in
    spark.master) master="$value" ;;
    *) conf_args+=(--conf "$key=$value") ;;
  esac
  [ "$key" = spark.driver.memory ] && driver_memory="$value"
  [ "$key" = spark.driver.extraJavaOptions ] && driver_java_options="$value"
done <"$conf_file"
# --master before `--` replaces the file's spark.master.
rest=()
while [ ${#spark_args[@]} -gt 0 ]; do
  if [ "${spark_args[0]}" = --master ]; then
    master="${spark_args[1]:?--master needs a URL}"
    spark_args=("${spark_args[@]:2}")
  else
    rest+=("${spark_args[0]}")
    spark_args=("${spark_args[@]:1}")
  fi
done
spark_args=(${rest[@]+"${rest[@]}"})
if [ -z "$master" ]; then
  echo "standalone.sh: no master: set spark.master in $conf_file or pass --master spark://HOST:PORT before --" >&2
  exit 2
fi

target="${SEQPACK_TARGET:-target}"
jar="${SEQPACK_JAR:-}"
if [ -z "$jar" ]; then
  jar=$(ls spark-job/"$target"/seqpack-spark-job-*-cluster.jar 2>/dev/null | head -n 1 || true)
  if [ -z "$jar" ] || [ ! -f spark-job/"$target"/classpath.txt ] \
    || [ -n "$(find spark-job/src/main spark-job/pom.xml pom.xml -newer "$jar" -print -quit)" ]; then
    if [ "$dry_run" = false ]; then
      echo "Building (mvn package -DskipTests)..." >&2
      mvn -B -q -DskipTests -Dseqpack.target="$target" package >&2
      jar=$(ls spark-job/"$target"/seqpack-spark-job-*-cluster.jar | head -n 1)
    fi
    jar="${jar:-spark-job/$target/seqpack-spark-job-<version>-cluster.jar}"
  fi
fi

export OPT_OUT_TRACKING=true
export DJL_OFFLINE=true
spark_submit=""
if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  spark_submit="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit >/dev/null 2>&1; then
  spark_submit=$(command -v spark-submit)
fi
if [ -n "$spark_submit" ]; then
  cmd=("$spark_submit")
else
  # No Spark installed: the driver runs SparkSubmit in this JVM, so its memory and options are
  # JVM flags here. The workers still need a Spark of the same version.
  opens=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)
  classpath=$(cat spark-job/"$target"/classpath.txt 2>/dev/null || echo '<classpath.txt after build>')
  # shellcheck disable=SC2206
  cmd=(java "-Xmx${driver_memory:-2g}" $opens $driver_java_options -cp "$classpath"
    org.apache.spark.deploy.SparkSubmit)
fi
cmd+=(--master "$master" --deploy-mode client "${conf_args[@]}" ${spark_args[@]+"${spark_args[@]}"}
  --class org.seqpack.cli.Main "$jar" ${job_args[@]+"${job_args[@]}"})

if [ "$dry_run" = true ]; then
  printf '%q ' "${cmd[@]}"
  echo
  exit 0
fi
exec "${cmd[@]}"
