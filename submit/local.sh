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
script=local.sh
# shellcheck source=SCRIPTDIR/lib.sh
. "$root/submit/lib.sh"

conf_file=conf/local.conf
split_args "$@"
if [ ${#job_args[@]} -eq 0 ]; then
  job_args=(--config conf/local.properties)
fi

# spark.master and spark.driver.memory become --master and --driver-memory (or -Dspark.master and
# -Xmx with plain java, which also needs the driver's Java options as its own flags).
master="local[*]"
driver_memory="2g"
driver_java_options=""
read_spark_conf
conf_take spark.master master
conf_take spark.driver.memory driver_memory
conf_peek spark.driver.extraJavaOptions driver_java_options
conf_as_args
driver_memory="${SEQPACK_DRIVER_MEMORY:-$driver_memory}"

find_cluster_jar --with-classpath

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export OPT_OUT_TRACKING=true
export DJL_OFFLINE=true
find_spark_submit

if [ -n "$spark_submit" ]; then
  # The first --master before `--` replaces the file's spark.master; a later one is passed on.
  for ((i = 0; i < ${#spark_args[@]}; i++)); do
    if [ "${spark_args[i]}" = --master ]; then
      master=$(value_of --master "${spark_args[i + 1]:-}" URL)
      spark_args=("${spark_args[@]:0:i}" "${spark_args[@]:i+2}")
      break
    fi
  done
  cmd=("$spark_submit" --master "$master" --driver-memory "$driver_memory"
    ${conf_args[@]+"${conf_args[@]}"} ${spark_args[@]+"${spark_args[@]}"}
    --class org.seqpack.cli.Main "$jar" ${job_args[@]+"${job_args[@]}"})
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
      --master) master=$(value_of --master "${spark_args[1]:-}" URL) ;;
      --conf) properties+=("-D$(value_of --conf "${spark_args[1]:-}" key=value)") ;;
      --driver-memory) driver_memory=$(value_of --driver-memory "${spark_args[1]:-}" size) ;;
      *)
        echo "local.sh: '${spark_args[0]}' needs spark-submit (set SPARK_HOME); without it only --master, --conf and --driver-memory apply" >&2
        exit 2
        ;;
    esac
    spark_args=("${spark_args[@]:2}")
  done
  opens=$(jvm_opens)
  # shellcheck disable=SC2206
  cmd=(java "-Xmx$driver_memory" $opens $driver_java_options "-Dspark.master=$master"
    ${properties[@]+"${properties[@]}"} -cp "$build/classes:$(maven_classpath)"
    org.seqpack.cli.Main ${job_args[@]+"${job_args[@]}"})
fi

print_or_exec
