"""Real job output for the tests: submit/local.sh on the bundled corpus, once per session.

Needs the job's build (the repository's test command runs Maven first; local.sh builds when the
sources are newer than the build)."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_job(output: Path, *flags: str) -> Path:
    command = [
        str(ROOT / "submit/local.sh"),
        "--input", str(ROOT / "test-data/europarl-1k.txt"),
        "--tokenizer", str(ROOT / "test-data/tokenizers/gpt2"),
        "--output", str(output),
        "--quiet",
        *flags,
    ]
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", DJL_OFFLINE="true", OPT_OUT_TRACKING="true")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return output


@pytest.fixture(scope="session")
def packed(tmp_path_factory) -> Path:
    """GPT-2 rows of L = 256 with seq_lens, BFD packing, 2 partitions."""
    out = tmp_path_factory.mktemp("job") / "packed"
    return run_job(out, "--seq-len", "256", "--emit-seq-lens", "--partitions", "2")
