"""Loads seqpack_daily.py against stand-ins for the Airflow classes it uses and checks its shape.

Airflow itself is not installed where CI runs; this checks what the DAG file decides: the task
order, the date-partitioned output replaced on every run, the shipped properties file, and a
verification that looks for _SUCCESS, _manifest.json and stats.json and calls `submit/local.sh verify`.

    python3 submit/airflow/check_dag.py
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


class Task:
    def __init__(self, task_id: str, **kwargs):
        self.task_id = task_id
        self.kwargs = kwargs
        self.downstream: list[Task] = []
        DAG.current.tasks[task_id] = self

    def __rshift__(self, other: "Task") -> "Task":
        self.downstream.append(other)
        return other


class DAG:
    current: "DAG"

    def __init__(self, dag_id: str, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks: dict[str, Task] = {}

    def __enter__(self) -> "DAG":
        DAG.current = self
        return self

    def __exit__(self, *exc) -> None:
        return None


def stub(name: str, **attributes) -> None:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    sys.modules[name] = module


def load(environment: dict[str, str]):
    for name in ("airflow", "airflow.providers", "airflow.providers.apache",
                 "airflow.providers.apache.spark", "airflow.providers.apache.spark.operators",
                 "airflow.operators"):
        stub(name)
    stub("airflow.sdk", DAG=DAG)
    stub("airflow.operators.bash", BashOperator=type("BashOperator", (Task,), {}))
    stub("airflow.providers.apache.spark.operators.spark_submit",
         SparkSubmitOperator=type("SparkSubmitOperator", (Task,), {}))
    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        spec = importlib.util.spec_from_file_location("seqpack_daily", HERE / "seqpack_daily.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        os.environ.clear()
        os.environ.update(saved)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit("check_dag: " + message)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp, "daily.properties")
        config.write_text("pack.seq-len=8192\n")
        module = load({
            "SEQPACK_HOME": str(ROOT),
            "SEQPACK_CLUSTER": "yarn",
            "SEQPACK_JOB_CONFIG": str(config),
            "SEQPACK_OUTPUT_ROOT": "hdfs:///corpus/packed/",
        })
    dag = module.dag
    check(dag.dag_id == "seqpack_daily", "dag id")
    check(dag.kwargs["schedule"] == "@daily", "runs once per logical date")
    pack, verify = dag.tasks.get("pack"), dag.tasks.get("verify")
    check(pack is not None and verify is not None, f"tasks are {sorted(dag.tasks)}")
    check(pack.downstream == [verify], "verify runs after pack")

    arguments = pack.kwargs["application_args"]
    output = arguments[arguments.index("--output") + 1]
    check(output == "hdfs:///corpus/packed/date={{ ds }}", f"date-partitioned output: {output}")
    check("--overwrite" in arguments, "a re-run replaces that date's output (--overwrite)")
    check("--resume" in arguments, "a retry keeps a killed attempt's finished partitions (--resume)")
    check(pack.kwargs["java_class"] == "org.seqpack.cli.Main", "main class")
    check(arguments[arguments.index("--config") + 1] == "daily.properties",
          "the properties file is named by its shipped name")
    check(pack.kwargs["files"].endswith("daily.properties"), "the properties file is shipped")
    conf = pack.kwargs["conf"]
    check(conf.get("spark.submit.deployMode") == "cluster", "settings come from conf/yarn.conf")
    check("spark.master" not in conf, "the master is the Airflow connection's")
    check(conf.get("spark.yarn.appMasterEnv.DJL_CACHE_DIR") == "./djl-cache", "values read whole")

    command = verify.kwargs["bash_command"]
    for needed in ("_SUCCESS", "stats.json", "_manifest.json", "submit/local.sh' verify --output", "--tokenizer",
                   "date={{ ds }}"):
        check(needed in command, f"verification lacks {needed!r}")

    k8s = load({"SEQPACK_HOME": str(ROOT), "SEQPACK_CLUSTER": "k8s",
                "SEQPACK_JOB_CONFIG": "/opt/seqpack/conf/daily.properties"}).dag.tasks["pack"]
    check(k8s.kwargs["application"] == "local:///opt/seqpack/seqpack.jar", "k8s: jar in image")
    check(k8s.kwargs["files"] is None, "k8s: the properties file is in the image")
    template = k8s.kwargs["conf"]["spark.kubernetes.driver.podTemplateFile"]
    check(Path(template).is_file(), f"k8s: pod template {template}")
    print("check_dag: seqpack_daily.py is consistent (2 tasks: pack >> verify)")


if __name__ == "__main__":
    main()
