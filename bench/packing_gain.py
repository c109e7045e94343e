"""What packing buys a trainer: the same documents at several L, one row per layout.

Run through bench/packing-gain.sh (it makes the Python environment). For each L and layout it runs
the job (`--packing none|concat|bfd`, `--emit-seq-lens`), reads stats.json and the rows, and prints
one Markdown row:

- rows, useful (real) tokens per row, padding share;
- docs > L: documents longer than L, cut into chunks under every layout (`--long-docs split`);
  cuts: pieces beyond one per document (segments - documents), which adds concat's row-boundary
  cuts to those;
- attention pairs per useful token, i.e. attention FLOPs per useful token divided by
  4 x d_model x layers: with document masking sum(n_i (n_i + 1) / 2) over the segments of each row
  (what FlexAttention's block sparsity or FlashAttention varlen compute), and with a full causal
  mask L (L + 1) / 2 per row;
- forward + backward time of a tiny random GPT-2 (2 layers, d_model 64, GPT-2's 50,257-id head,
  SDPA with the loader's dense block-diagonal mask) per useful token, over about --timed-tokens
  row cells of shuffled rows, one row per step, median of --repeats passes. A dense mask costs the
  same whatever it masks, so this column shows the padding gain; the pair columns show what a
  block-sparse kernel saves on top.
"""

import argparse
import json
import os
import statistics
import subprocess
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import torch

os.environ.setdefault("HF_HUB_OFFLINE", "1")
from transformers import GPT2Config, GPT2LMHeadModel  # noqa: E402

from seqpack_torch import PackedDataset, collate_packed  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ("none", "concat", "bfd")


def run_job(corpus: Path, tokenizer: Path, seq_len: int, layout: str, output: Path) -> dict:
    command = [
        str(ROOT / "submit/local.sh"), "--input", str(corpus), "--tokenizer", str(tokenizer),
        "--seq-len", str(seq_len), "--packing", layout, "--emit-seq-lens",
        "--output", str(output), "--overwrite", "--quiet",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads((output / "stats.json").read_text())


def attention_pairs(output: Path, seq_len: int) -> tuple[int, int]:
    """(document-masked, full causal) query-key pairs over all rows."""
    manifest = json.loads((output / "_manifest.json").read_text())
    masked = full = 0
    for entry in manifest["files"]:
        lengths = pq.read_table(output / entry["path"], columns=["seq_lens"])["seq_lens"]
        for row in lengths.to_pylist():
            n = np.asarray(row, dtype=np.int64)
            masked += int((n * (n + 1) // 2).sum())
            full += seq_len * (seq_len + 1) // 2
    return masked, full


def timed_rows(output: Path, seq_len: int, cells: int) -> list[dict]:
    rows = []
    for row in PackedDataset(str(output), seed=0):
        rows.append(row)
        if len(rows) * seq_len >= cells:
            break
    return rows


def seconds_per_useful_token(model, rows: list[dict], repeats: int) -> float:
    useful = sum(int((r["segment_ids"] != 0).sum()) for r in rows)
    batches = [collate_packed([r], "sdpa") for r in rows]
    for batch in batches:
        mask = batch["attention_mask"]
        batch["additive"] = torch.zeros(mask.shape).masked_fill(~mask, torch.finfo(torch.float32).min)

    def step(batch):
        model.zero_grad(set_to_none=True)
        loss = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"],
                     attention_mask=batch["additive"], labels=batch["labels"]).loss
        loss.backward()

    step(batches[0])  # warm-up
    passes = []
    for _ in range(repeats):
        start = time.perf_counter()
        for batch in batches:
            step(batch)
        passes.append(time.perf_counter() - start)
    return statistics.median(passes) / useful


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="text lines, .gz or not")
    parser.add_argument("--tokenizer", type=Path, default=ROOT / "test-data/tokenizers/gpt2",
                        help="a GPT-2-vocabulary tokenizer folder (the tiny model has GPT-2's head)")
    parser.add_argument("--seq-lens", default="1024,2048,4096")
    parser.add_argument("--layouts", default=",".join(LAYOUTS))
    parser.add_argument("--timed-tokens", type=int, default=16384, help="row cells timed per layout")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / "out/bench-packing-gain")
    args = parser.parse_args()
    seq_lens = [int(n) for n in args.seq_lens.split(",")]
    layouts = args.layouts.split(",")

    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=50257, n_embd=64, n_layer=2, n_head=4,
                                       n_positions=max(seq_lens), attn_implementation="sdpa"))
    print(f"corpus {args.corpus}, tokenizer {args.tokenizer}, torch {torch.__version__},"
          f" {torch.get_num_threads()} threads")
    print()
    print("| L | layout | rows | useful tokens/row | padding | docs > L | cuts"
          " | attn pairs/useful token, doc-masked | full causal | full ÷ masked"
          " | fwd+bwd µs/useful token | vs bfd |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for seq_len in seq_lens:
        results = {}
        for layout in layouts:
            output = args.work / f"L{seq_len}-{layout}"
            stats = run_job(args.corpus, args.tokenizer, seq_len, layout, output)
            masked, full = attention_pairs(output, seq_len)
            tokens = stats["row_tokens"]
            seconds = seconds_per_useful_token(
                model, timed_rows(output, seq_len, args.timed_tokens), args.repeats)
            results[layout] = (stats, masked / tokens, full / tokens, seconds)
        for layout in layouts:
            stats, masked, full, seconds = results[layout]
            cuts = stats["segments"] - stats["documents"]["packed"]
            versus = f"{seconds / results['bfd'][3]:.2f}×" if "bfd" in results else ""
            print(f"| {seq_len} | {layout} | {stats['rows']:,} | {stats['row_tokens'] / stats['rows']:,.0f}"
                  f" | {stats['padding_fraction']:.2%} | {stats['documents']['split']:,} | {cuts:,}"
                  f" | {masked:,.0f} | {full:,.0f} | {full / masked:.2f}"
                  f" | {seconds * 1e6:,.0f} | {versus} |", flush=True)


if __name__ == "__main__":
    main()
