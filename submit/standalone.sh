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
script=standalone.sh
# shellcheck source=SCRIPTDIR/lib.sh
. "$root/submit/lib.sh"

conf_file=conf/standalone.conf
split_args "$@"
if [ ${#job_args[@]} -eq 0 ]; then
  job_args=(--config conf/local.properties)
fi

# spark.master becomes --master; --master before `--` replaces it. The driver's memory and Java
# options stay --conf for spark-submit and are also kept for the plain-java fallback's JVM.
master=""
driver_memory=""
driver_java_options=""
read_spark_conf
conf_take spark.master master
conf_peek spark.driver.memory driver_memory
conf_peek spark.driver.extraJavaOptions driver_java_options
conf_as_args
take_spark_options URL --master=master
if [ -z "$master" ]; then
  echo "standalone.sh: no master: set spark.master in $conf_file or pass --master spark://HOST:PORT before --" >&2
  exit 2
fi

find_cluster_jar --with-classpath

export OPT_OUT_TRACKING=true
export DJL_OFFLINE=true
find_spark_submit
if [ -n "$spark_submit" ]; then
  cmd=("$spark_submit")
else
  # No Spark installed: the driver runs SparkSubmit in this JVM, so its memory and options are
  # JVM flags here. The workers still need a Spark of the same version.
  opens=$(jvm_opens)
  # shellcheck disable=SC2206
  cmd=(java "-Xmx${driver_memory:-2g}" $opens $driver_java_options -cp "$(maven_classpath)"
    org.apache.spark.deploy.SparkSubmit)
fi
cmd+=(--master "$master" --deploy-mode client ${conf_args[@]+"${conf_args[@]}"}
  ${spark_args[@]+"${spark_args[@]}"}
  --class org.seqpack.cli.Main "$jar" ${job_args[@]+"${job_args[@]}"})

print_or_exec
