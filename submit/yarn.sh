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
script=yarn.sh
# shellcheck source=SCRIPTDIR/lib.sh
. "$root/submit/lib.sh"

conf_file=conf/yarn.conf
split_args "$@"

# spark.master and spark.submit.deployMode become --master and --deploy-mode; the same options
# before `--` replace them.
master=yarn
deploy_mode=cluster
read_spark_conf
conf_take spark.master master
conf_take spark.submit.deployMode deploy_mode
conf_as_args
take_spark_options value --master=master --deploy-mode=deploy_mode

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

# No --with-classpath: on YARN spark-submit always runs, never the plain-java fallback.
# shellcheck disable=SC2119
find_cluster_jar
need_spark_submit
if [ "$dry_run" = false ] && [ -z "${HADOOP_CONF_DIR:-}" ] && [ -z "${YARN_CONF_DIR:-}" ]; then
  echo "yarn.sh: set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the folder with the cluster's yarn-site.xml" >&2
  exit 2
fi

cmd=("$spark_submit" --master "$master" --deploy-mode "$deploy_mode"
  ${conf_args[@]+"${conf_args[@]}"})
if [ ${#files[@]} -gt 0 ]; then
  cmd+=(--files "$(IFS=,; echo "${files[*]}")")
fi
cmd+=(${spark_args[@]+"${spark_args[@]}"} --class org.seqpack.cli.Main "$jar"
  ${job_args[@]+"${job_args[@]}"})

print_or_exec
