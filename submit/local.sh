#!/usr/bin/env bash
# Runs the job in Spark local mode on all cores of this machine.
#
#   submit/local.sh                      the default run: conf/local.properties
#   submit/local.sh [job flags...]       e.g. --config conf/local.properties --seq-len 2048
#   submit/local.sh --dry-run [...]      print the command instead of running it
#   submit/local.sh [--dry-run] [--conf-file FILE] [spark-submit options...] -- [job flags...]
#
# Spark settings come from conf/local.conf (or --conf-file FILE): one `key value` per line, passed
# as --conf (spark.master as --master); spark-submit options given before `--` follow them and win.
# Without `--`, every argument after the script's own options is a job flag.
#
# With SPARK_HOME set (or spark-submit on the PATH) it uses that Spark's spark-submit and the
# cluster jar; otherwise it runs the Maven-resolved Spark jars with plain java (the settings become
# system properties). Builds first when the sources are newer than the build. SEQPACK_TARGET names
# the build folder under spark-job/ (default target); SEQPACK_JAR names a cluster jar to use as is.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

dry_run=false
conf_file=conf/local.conf
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

# Spark settings file, spark-defaults format: `key value` or `key=value`; # starts a comment line.
master="local[*]"
conf_args=()
conf_keys=()
conf_values=()
driver_memory="2g"
driver_java_options=""
[ -f "$conf_file" ] || { echo "local.sh: no conf file '$conf_file'" >&2; exit 2; }
while IFS= read -r line || [ -n "$line" ]; do
  line="${line#"${line%%[![:space:]]*}"}"
  case "$line" in '' | '#'* | '!'*) continue ;; esac
  key="${line%%[[:space:]=]*}"
  value="${line#"$key"}"
  value="${value#"${value%%[![:space:]=]*}"}"
  value="${value%"${value##*[![:space:]]}"}"
  case "$key" in
    spark.master) master="$value" ;;
    spark.driver.memory) driver_memory="$value" ;;
    spark.driver.extraJavaOptions) driver_java_options="$value" ;;
  esac
  if [ "$key" != spark.master ] && [ "$key" != spark.driver.memory ]; then
    conf_args+=(--conf "$key=$value")
    conf_keys+=("$key")
    conf_values+=("$value")
  fi
done <"$conf_file"
driver_memory="${SEQPACK_DRIVER_MEMORY:-$driver_memory}"

target="${SEQPACK_TARGET:-target}"
build="spark-job/$target"
jar="${SEQPACK_JAR:-}"
if [ -z "$jar" ]; then
  jar=$(ls "$build"/seqpack-spark-job-*-cluster.jar 2>/dev/null | head -n 1 || true)
  if [ -z "$jar" ] || [ ! -f "$build/classpath.txt" ] \
    || [ -n "$(find spark-job/src/main spark-job/pom.xml pom.xml -newer "$jar" -print -quit)" ]; then
    if [ "$dry_run" = false ]; then
      echo "Building (mvn package -DskipTests)..." >&2
      mvn -B -q -DskipTests -Dseqpack.target="$target" package >&2
      jar=$(ls "$build"/seqpack-spark-job-*-cluster.jar | head -n 1)
    fi
  fi
fi

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export OPT_OUT_TRACKING=true
export DJL_OFFLINE=true
spark_submit=""
if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  spark_submit="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit >/dev/null 2>&1; then
  spark_submit=$(command -v spark-submit)
fi

if [ -n "$spark_submit" ]; then
  for ((i = 0; i < ${#spark_args[@]}; i++)); do
    if [ "${spark_args[i]}" = --master ]; then
      master="${spark_args[i + 1]:?--master needs a URL}"
      spark_args=("${spark_args[@]:0:i}" "${spark_args[@]:i+2}")
      break
    fi
  done
  cmd=("$spark_submit" --master "$master" --driver-memory "$driver_memory" "${conf_args[@]}"
    ${spark_args[@]+"${spark_args[@]}"}
    --class org.seqpack.cli.Main "${jar:-$build/seqpack-spark-job-<version>-cluster.jar}" "$@")
else
  # Plain java: SparkConf reads spark.* system properties, so settings become -D flags.
  properties=()
  for ((i = 0; i < ${#conf_keys[@]}; i++)); do
    case "${conf_keys[i]}" in
      spark.driver.extraJavaOptions) ;;
      *) properties+=("-D${conf_keys[i]}=${conf_values[i]}") ;;
    esac
  done
  while [ ${#spark_args[@]} -gt 0 ]; do
    case "${spark_args[0]}" in
      --master) master="${spark_args[1]:?--master needs a URL}" ;;
      --conf) properties+=("-D${spark_args[1]:?--conf needs key=value}") ;;
      --driver-memory) driver_memory="${spark_args[1]:?--driver-memory needs a size}" ;;
      *)
        echo "local.sh: '${spark_args[0]}' needs spark-submit (set SPARK_HOME); without it only --master, --conf and --driver-memory apply" >&2
        exit 2
        ;;
    esac
    spark_args=("${spark_args[@]:2}")
  done
  opens=$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)
  # shellcheck disable=SC2206
  cmd=(java "-Xmx$driver_memory" $opens $driver_java_options "-Dspark.master=$master"
    ${properties[@]+"${properties[@]}"}
    -cp "$build/classes:$(cat "$build/classpath.txt" 2>/dev/null || echo '<classpath.txt after build>')"
    org.seqpack.cli.Main "$@")
fi

if [ "$dry_run" = true ]; then
  printf '%q ' "${cmd[@]}"
  echo
  exit 0
fi
exec "${cmd[@]}"
