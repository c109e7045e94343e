"""train-tokenizer against Hugging Face: on the same 900 Europarl documents, with the same
pre-tokenizer regex, vocabulary size, minimum frequency and byte-level alphabet, our trainer and
tokenizers' BpeTrainer compress the other 100 to within 1 % of each other; and Hugging Face loads
our tokenizer.json and gives the ids the job's Java engine writes."""

import os
import subprocess
import time

import pytest
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

from conftest import ROOT, run_job
from test_formats_and_lengths import manifest, read_megatron

LLAMA3 = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|"
    r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
SPECIAL = "<|endoftext|>"


def train_ours(train_file, output, vocab_size, min_frequency):
    command = [
        str(ROOT / "submit/local.sh"), "train-tokenizer",
        "--input", str(train_file), "--output", str(output),
        "--vocab-size", str(vocab_size), "--min-frequency", str(min_frequency),
        "--pattern", "llama3", "--special-token", SPECIAL, "--held-out-fraction", "0", "--quiet",
    ]
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", DJL_OFFLINE="true", OPT_OUT_TRACKING="true")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return Tokenizer.from_file(str(output / "tokenizer.json"))


def train_hf(train_file, vocab_size, min_frequency):
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=min_frequency, special_tokens=[SPECIAL],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    # Lines without their line ends, as the job reads them (train() on files would keep the "\n").
    lines = train_file.read_text(encoding="utf-8").splitlines()
    tokenizer.train_from_iterator(lines, trainer)
    return tokenizer


def bytes_per_token(tokenizer, lines):
    size = sum(len(line.encode("utf-8")) for line in lines)
    return size / sum(len(tokenizer.encode(line, add_special_tokens=False).ids) for line in lines)


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    lines = (ROOT / "test-data/europarl-1k.txt").read_text(encoding="utf-8").splitlines()
    folder = tmp_path_factory.mktemp("train")
    (folder / "train.txt").write_text("\n".join(lines[:900]) + "\n", encoding="utf-8")
    (folder / "heldout.txt").write_text("\n".join(lines[900:]) + "\n", encoding="utf-8")
    return folder, lines[900:]


@pytest.mark.parametrize("vocab_size", [1000, 4000])
def test_held_out_compression_within_one_percent_of_hugging_face(split, vocab_size):
    folder, held_out = split
    start = time.perf_counter()
    ours = train_ours(folder / "train.txt", folder / f"ours-{vocab_size}", vocab_size, 2)
    ours_seconds = time.perf_counter() - start
    start = time.perf_counter()
    hf = train_hf(folder / "train.txt", vocab_size, 2)
    hf_seconds = time.perf_counter() - start
    assert ours.get_vocab_size() == hf.get_vocab_size() == vocab_size
    assert ours.token_to_id(SPECIAL) == hf.token_to_id(SPECIAL) == 0
    ours_bpt, hf_bpt = bytes_per_token(ours, held_out), bytes_per_token(hf, held_out)
    print(f"V={vocab_size}: ours {ours_bpt:.4f} bytes/token ({ours_seconds:.1f} s with JVM and Spark"
          f" start), Hugging Face {hf_bpt:.4f} ({hf_seconds:.2f} s)")
    assert abs(ours_bpt / hf_bpt - 1) < 0.01
    for line in held_out:
        assert ours.decode(ours.encode(line, add_special_tokens=False).ids) == line


def test_hugging_face_gives_the_ids_the_java_engine_writes(split):
    folder, held_out = split
    ours = train_ours(folder / "train.txt", folder / "ours-ids", 1000, 2)
    out = run_job(
        folder / "packed", "--output-format", "megatron", "--seq-len", "512", "--partitions", "1",
        "--tokenizer-engine", "java", input=folder / "heldout.txt", tokenizer=folder / "ours-ids",
    )
    documents = []
    for dataset in manifest(out)["datasets"]:
        sequences, starts, _ = read_megatron(out / dataset["prefix"])
        for first, end in zip(starts[:-1], starts[1:]):
            documents.append(
                [int(t) for s in sequences[first:end] for t in s])
    eos = ours.token_to_id(SPECIAL)
    assert documents == [ours.encode(line, add_special_tokens=False).ids + [eos] for line in held_out]
