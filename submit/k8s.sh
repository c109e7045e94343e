#!/usr/bin/env bash
# Submits the job to Kubernetes in cluster deploy mode: the driver and the executors run in pods
# of the job image (submit/k8s/Dockerfile), which holds the cluster jar at
# /opt/seqpack/seqpack.jar and this repository's conf/ at /opt/seqpack/conf/.
#
#   submit/k8s.sh [--dry-run] [--conf-file FILE] [spark-submit options...] -- [job flags...]
#   submit/k8s.sh --conf spark.kubernetes.container.image=reg/seqpack:0.1.0 -- \
#     --config /opt/seqpack/conf/my-run.properties --input /data/corpus --output /data/out/run-1
#   submit/k8s.sh --dry-run -- --config /opt/seqpack/conf/my-run.properties   print the command only
#
# Spark settings come from conf/k8s.conf (or --conf-file FILE): one `key value` per line, passed
# as --conf (spark.master and spark.submit.deployMode as --master and --deploy-mode); spark-submit
# options given before `--` follow them and win. Job flags go after `--`; without `--`, every
# argument is a job flag. Every path in the job flags is read inside the pods: the image's
# /opt/seqpack/conf/, the data claim at /data, or s3a:/hdfs: locations.
#
# Needs a Spark distribution ($SPARK_HOME/bin/spark-submit or spark-submit on the PATH) of the
# image's Spark version, and a kubeconfig for the cluster. SEQPACK_JAR replaces the application
# jar (default local:///opt/seqpack/seqpack.jar, the copy inside the image).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

dry_run=false
conf_file=conf/k8s.conf
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
master=""
deploy_mode=cluster
conf_args=()
[ -f "$conf_file" ] || { echo "k8s.sh: no conf file '$conf_file'" >&2; exit 2; }
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
case "$master" in
  k8s://*) ;;
  *) echo "k8s.sh: spark.master is '$master'; must be k8s://https://API-SERVER:PORT (set it in $conf_file or pass --master)" >&2; exit 2 ;;
esac

spark_submit=""
if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  spark_submit="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit >/dev/null 2>&1; then
  spark_submit=$(command -v spark-submit)
elif [ "$dry_run" = true ]; then
  spark_submit=spark-submit
else
  echo "k8s.sh: needs a Spark distribution: set SPARK_HOME or put spark-submit on the PATH" >&2
  exit 2
fi

cmd=("$spark_submit" --master "$master" --deploy-mode "$deploy_mode" "${conf_args[@]}"
  ${spark_args[@]+"${spark_args[@]}"}
  --class org.seqpack.cli.Main "${SEQPACK_JAR:-local:///opt/seqpack/seqpack.jar}"
  ${job_args[@]+"${job_args[@]}"})

if [ "$dry_run" = true ]; then
  printf '%q ' "${cmd[@]}"
  echo
  exit 0
fi
exec "${cmd[@]}"
