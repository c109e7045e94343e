#!/usr/bin/env bash
# Submits the job to YARN, in cluster deploy mode by default (the driver runs in the application
# master; spark-submit waits for the application and exits non-zero when it fails).
#
#   submit/yarn.sh [--dry-run] [--conf-file FILE] [spark-submit options...] -- [job flags...]
#   submit/yarn.sh --queue etl -- --config conf/llama3-8k.properties --input hdfs:///corpus/part-*
#   submit/yarn.sh --dry-run -- --config conf/my-run.properties      print the command only
#
# Spark settings come from conf/yarn.conf (or --conf-file FILE): one `key value` per line, passed
# as --conf (spark.master and spark.submit.deployMode as --master and --deploy-mode); spark-submit
# options given before `--` follow them and win. Job flags go after `--`; without `--`, every
# argument is a job flag. In cluster mode a local `--config FILE` is shipped with --files and
# read by the driver from its container's folder; every other path in the job flags is read by
# the driver inside the cluster (hdfs:, s3a:..., or a local path present on every node).
#
# Needs a Spark distribution ($SPARK_HOME/bin/spark-submit or spark-submit on the PATH) and
# HADOOP_CONF_DIR or YARN_CONF_DIR. SEQPACK_JAR names the cluster jar; otherwise
# spark-job/$SEQPACK_TARGET/seqpack-spark-job-*-cluster.jar, built when needed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

dry_run=false
conf_file=conf/yarn.conf
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
job_args=("$@")

# Spark settings file, spark-defaults format: `key value` or `key=value`; # starts a comment line.
master=yarn
deploy_mode=cluster
conf_args=()
[ -f "$conf_file" ] || { echo "yarn.sh: no conf file '$conf_file'" >&2; exit 2; }
while IFS= read -r line || [ -n "$line" ]; do
  line="${line#"${line%%[![:space:]]*}"}"
  case "$line" in '' | '#'* | '!'*) continue ;; esac
  key="${line%%[[:space:]=]*}"
  value="${line#"$key"}"
  value="${value#"${value%%[![:space:]=]*}"}"
  value="${value%"${value##*[![:space:]]}"}"
  case "$key" in
    spark.master) master="$value" ;;
    spark.submit.deployMode) deploy_mode="$value" ;;
    *) conf_args+=(--conf "$key=$value") ;;
  esac
done <"$conf_file"
# --master and --deploy-mode before `--` replace the file's values.
rest=()
while [ ${#spark_args[@]} -gt 0 ]; do
  case "${spark_args[0]}" in
    --master) master="${spark_args[1]:?--master needs a value}"; spark_args=("${spark_args[@]:2}") ;;
    --deploy-mode) deploy_mode="${spark_args[1]:?--deploy-mode needs a value}"; spark_args=("${spark_args[@]:2}") ;;
    *) rest+=("${spark_args[0]}"); spark_args=("${spark_args[@]:1}") ;;
  esac
done
spark_args=(${rest[@]+"${rest[@]}"})

# In cluster mode the driver cannot see this machine's files: ship a local --config FILE.
files=()
if [ "$deploy_mode" = cluster ]; then
  for ((i = 0; i < ${#job_args[@]}; i++)); do
    file=""
    case "${job_args[i]}" in
      --config) file="${job_args[i + 1]:-}"; index=$((i + 1)) ;;
      --config=*) file="${job_args[i]#--config=}"; index=$i ;;
    esac
    if [ -n "$file" ] && [[ "$file" != *:* ]] && [ -f "$file" ]; then
      files+=("$(cd "$(dirname "$file")" && pwd)/$(basename "$file")")
      if [ "$index" = "$i" ]; then
        job_args[i]="--config=$(basename "$file")"
      else
        job_args[index]="$(basename "$file")"
      fi
    fi
  done
fi

target="${SEQPACK_TARGET:-target}"
jar="${SEQPACK_JAR:-}"
if [ -z "$jar" ]; then
  jar=$(ls spark-job/"$target"/seqpack-spark-job-*-cluster.jar 2>/dev/null | head -n 1 || true)
  if [ -z "$jar" ] || [ -n "$(find spark-job/src/main spark-job/pom.xml pom.xml -newer "$jar" -print -quit)" ]; then
    if [ "$dry_run" = false ]; then
      echo "Building (mvn package -DskipTests)..." >&2
      mvn -B -q -DskipTests -Dseqpack.target="$target" package >&2
      jar=$(ls spark-job/"$target"/seqpack-spark-job-*-cluster.jar | head -n 1)
    fi
    jar="${jar:-spark-job/$target/seqpack-spark-job-<version>-cluster.jar}"
  fi
fi

spark_submit=""
if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  spark_submit="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit >/dev/null 2>&1; then
  spark_submit=$(command -v spark-submit)
elif [ "$dry_run" = true ]; then
  spark_submit=spark-submit
else
  echo "yarn.sh: needs a Spark distribution: set SPARK_HOME or put spark-submit on the PATH" >&2
  exit 2
fi
if [ "$dry_run" = false ] && [ -z "${HADOOP_CONF_DIR:-}" ] && [ -z "${YARN_CONF_DIR:-}" ]; then
  echo "yarn.sh: set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the folder with the cluster's yarn-site.xml" >&2
  exit 2
fi

cmd=("$spark_submit" --master "$master" --deploy-mode "$deploy_mode" "${conf_args[@]}")
if [ ${#files[@]} -gt 0 ]; then
  cmd+=(--files "$(IFS=,; echo "${files[*]}")")
fi
cmd+=(${spark_args[@]+"${spark_args[@]}"} --class org.seqpack.cli.Main "$jar"
  ${job_args[@]+"${job_args[@]}"})

if [ "$dry_run" = true ]; then
  printf '%q ' "${cmd[@]}"
  echo
  exit 0
fi
exec "${cmd[@]}"
