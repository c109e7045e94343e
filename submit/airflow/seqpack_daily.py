"""Daily corpus preparation with seqpack, one date-partitioned output per logical date.

For each logical date ``ds`` the DAG

1. ``pack``: runs the job with SparkSubmitOperator (YARN or Kubernetes, per the Airflow
   connection) on that date's input into ``<output root>/date=<ds>/``, with ``--overwrite``: a
   re-run (retry, clear, backfill) replaces that date's output and nothing else, and with
   ``--resume`` a retry keeps the partitions a killed attempt finished (same inputs and settings).
   The job publishes a date only when every task succeeded: on HDFS by renaming a staging folder
   into place, on object stores by writing ``_manifest.json`` (the list of the date's files) last.
2. ``verify``: fails the run unless ``_SUCCESS``, ``_manifest.json`` and ``stats.json`` exist in
   that folder and
   ``submit/local.sh verify --output ... --tokenizer ...`` accepts the output.

Settings come from the environment of the Airflow workers (read when the DAG is parsed):

- ``SEQPACK_HOME``: a checkout of the repository on the workers (conf/, submit/); default
  ``/opt/seqpack``.
- ``SEQPACK_CLUSTER``: ``yarn`` or ``k8s``: the Spark settings are ``conf/<cluster>.conf``, the
  same file submit/yarn.sh and submit/k8s.sh read. The master comes from the Airflow connection
  ``SEQPACK_SPARK_CONN_ID`` (default ``spark_default``; host ``yarn`` or ``k8s://https://...``).
- ``SEQPACK_JAR``: the cluster jar (a local path on the worker or hdfs:/s3a:; on Kubernetes
  ``local:///opt/seqpack/seqpack.jar``, the copy inside the job image).
- ``SEQPACK_JOB_CONFIG``: the job's properties file (tokenizer, seq-len, format...), shipped with
  ``--files`` on YARN; on Kubernetes a path inside the image such as
  ``/opt/seqpack/conf/daily.properties``.
- ``SEQPACK_INPUT``: the input of one date, a Jinja template (default
  ``hdfs:///corpus/raw/date={{ ds }}``).
- ``SEQPACK_OUTPUT_ROOT``: the dates' parent folder (default ``hdfs:///corpus/packed``).
- ``SEQPACK_TOKENIZER``: the tokenizer, for the verification (and as the job's ``--tokenizer``).
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG

try:  # Airflow 3: the standard provider
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

SEQPACK_HOME = os.environ.get("SEQPACK_HOME", "/opt/seqpack")
CLUSTER = os.environ.get("SEQPACK_CLUSTER", "yarn")
SPARK_CONN_ID = os.environ.get("SEQPACK_SPARK_CONN_ID", "spark_default")
JAR = os.environ.get(
    "SEQPACK_JAR",
    "local:///opt/seqpack/seqpack.jar"
    if CLUSTER == "k8s"
    else f"{SEQPACK_HOME}/spark-job/target/seqpack-spark-job-0.1.0-SNAPSHOT-cluster.jar",
)
JOB_CONFIG = os.environ.get("SEQPACK_JOB_CONFIG", f"{SEQPACK_HOME}/conf/daily.properties")
INPUT = os.environ.get("SEQPACK_INPUT", "hdfs:///corpus/raw/date={{ ds }}")
OUTPUT_ROOT = os.environ.get("SEQPACK_OUTPUT_ROOT", "hdfs:///corpus/packed").rstrip("/")
TOKENIZER = os.environ.get("SEQPACK_TOKENIZER", "hdfs:///models/llama3")

# One folder per logical date: the unit that a re-run replaces.
OUTPUT = OUTPUT_ROOT + "/date={{ ds }}"


def spark_settings(path: str) -> dict[str, str]:
    """The `key value` lines of a spark-defaults style file (conf/yarn.conf, conf/k8s.conf)."""
    settings: dict[str, str] = {}
    if not os.path.isfile(path):
        return settings
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if not line or line.startswith(("#", "!")):
                continue
            # The key ends at the first blank or '=' (values may hold '=': -Dx=y).
            key, value = re.match(r"([^\s=]+)[\s=]*(.*)", line).groups()
            # The master is the Airflow connection's.
            if key != "spark.master":
                settings[key] = value.strip()
    return settings


SPARK_CONF = spark_settings(f"{SEQPACK_HOME}/conf/{CLUSTER}.conf")
if CLUSTER == "k8s":
    # Paths in the settings file are relative to the checkout (the pod template).
    for key, value in list(SPARK_CONF.items()):
        if key.endswith("podTemplateFile") and not value.startswith("/"):
            SPARK_CONF[key] = f"{SEQPACK_HOME}/{value}"

# On YARN the driver runs in a container: ship the properties file and name it by its file name.
SHIP_CONFIG = CLUSTER == "yarn" and "://" not in JOB_CONFIG
CONFIG_ARGUMENT = os.path.basename(JOB_CONFIG) if SHIP_CONFIG else JOB_CONFIG

VERIFY = f"""
set -euo pipefail
output='{OUTPUT}'
case "$output" in
  *://*)
    hadoop fs -test -e "$output/_SUCCESS" || {{ echo "no _SUCCESS in $output" >&2; exit 1; }}
    hadoop fs -test -e "$output/stats.json" || {{ echo "no stats.json in $output" >&2; exit 1; }}
    hadoop fs -test -e "$output/_manifest.json" || {{ echo "no _manifest.json in $output" >&2; exit 1; }}
    ;;
  *)
    test -f "${{output#file:}}/_SUCCESS" || {{ echo "no _SUCCESS in $output" >&2; exit 1; }}
    test -f "${{output#file:}}/stats.json" || {{ echo "no stats.json in $output" >&2; exit 1; }}
    test -f "${{output#file:}}/_manifest.json" || {{ echo "no _manifest.json in $output" >&2; exit 1; }}
    ;;
esac
'{SEQPACK_HOME}/submit/local.sh' verify --output "$output" --tokenizer '{TOKENIZER}'
"""

with DAG(
    dag_id="seqpack_daily",
    description="Tokenize and pack each day's corpus into date-partitioned Parquet rows",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={
        "owner": "seqpack",
        "retries": 2,
        "retry_delay": timedelta(minutes=10),
    },
    tags=["seqpack", "spark"],
) as dag:
    pack = SparkSubmitOperator(
        task_id="pack",
        conn_id=SPARK_CONN_ID,
        application=JAR,
        java_class="org.seqpack.cli.Main",
        name="seqpack-{{ ds_nodash }}",
        conf=SPARK_CONF,
        files=JOB_CONFIG if SHIP_CONFIG else None,
        application_args=[
            "--config",
            CONFIG_ARGUMENT,
            "--input",
            INPUT,
            "--tokenizer",
            TOKENIZER,
            "--output",
            OUTPUT,
            "--overwrite",
            "--resume",
        ],
        execution_timeout=timedelta(hours=12),
    )

    verify = BashOperator(
        task_id="verify",
        bash_command=VERIFY,
        # local.sh uses this jar when it is a file here; otherwise it builds the checkout once.
        env={"SEQPACK_HOME": SEQPACK_HOME, **({"SEQPACK_JAR": JAR} if os.path.isfile(JAR) else {})},
        append_env=True,
        execution_timeout=timedelta(hours=1),
    )

    pack >> verify
