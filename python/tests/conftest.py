"""Real job output for the tests: submit/local.sh on the bundled corpus, once per session.

Needs the job's build (the repository's test command runs Maven first; local.sh builds when the
sources are newer than the build)."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_job(
    output: Path,
    *flags: str,
    input: Path = ROOT / "test-data/europarl-1k.txt",
    tokenizer: Path = ROOT / "test-data/tokenizers/gpt2",
) -> Path:
    command = [
        str(ROOT / "submit/local.sh"),
        "--input", str(input),
        "--tokenizer", str(tokenizer),
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


@pytest.fixture(scope="session")
def llama3_tokenizer(tmp_path_factory) -> Path:
    """The Llama 3 tokenizer folder, unpacked from test-data (committed gzipped)."""
    import gzip
    import shutil

    source = ROOT / "test-data/tokenizers/llama3"
    folder = tmp_path_factory.mktemp("llama3")
    shutil.copy(source / "tokenizer_config.json", folder)
    with gzip.open(source / "tokenizer.json.gz", "rb") as packed, open(folder / "tokenizer.json", "wb") as out:
        shutil.copyfileobj(packed, out)
    return folder


SFT_INPUT = ROOT / "test-data/sft/europarl-sft.jsonl"


@pytest.fixture(scope="session")
def sft_packed(tmp_path_factory, llama3_tokenizer) -> Path:
    """Llama 3 SFT rows of L = 1024 (chats with the model's template, and prompt/completion pairs)."""
    out = tmp_path_factory.mktemp("sft") / "packed"
    return run_job(
        out, "--task", "sft", "--format", "jsonl", "--seq-len", "1024",
        input=SFT_INPUT, tokenizer=llama3_tokenizer,
    )
