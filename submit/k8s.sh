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
script=k8s.sh
# shellcheck source=SCRIPTDIR/lib.sh
. "$root/submit/lib.sh"

conf_file=conf/k8s.conf
split_args "$@"

# spark.master and spark.submit.deployMode become --master and --deploy-mode; the same options
# before `--` replace them.
master=""
deploy_mode=cluster
read_spark_conf
conf_take spark.master master
conf_take spark.submit.deployMode deploy_mode
conf_as_args
take_spark_options value --master=master --deploy-mode=deploy_mode
case "$master" in
  k8s://*) ;;
  *) echo "k8s.sh: spark.master is '$master'; must be k8s://https://API-SERVER:PORT (set it in $conf_file or pass --master)" >&2; exit 2 ;;
esac

need_spark_submit

cmd=("$spark_submit" --master "$master" --deploy-mode "$deploy_mode"
  ${conf_args[@]+"${conf_args[@]}"} ${spark_args[@]+"${spark_args[@]}"}
  --class org.seqpack.cli.Main "${SEQPACK_JAR:-local:///opt/seqpack/seqpack.jar}"
  ${job_args[@]+"${job_args[@]}"})

print_or_exec
