"""The bundled corpus through the job, then the loader, then a few hundred optimizer steps of a
tiny random GPT-2 on CPU. Prints the loss (it falls), tokens/s and the padding share.

    python/test.sh                      # once: makes python/.venv with the requirements
    python/.venv/bin/python examples/train_tiny.py [--steps 200] [--batch 4] [--seq-len 256]

On 2 cores it trains about 500 tokens/s: the 50,257-way output layer of GPT-2's vocabulary is most
of the work of so small a model (200 steps of 4 rows take about 5 minutes).
"""

import argparse
import os
import subprocess
import time
from pathlib import Path

import torch
from torch.utils.data import DataLoader

os.environ.setdefault("HF_HUB_OFFLINE", "1")
from transformers import GPT2Config, GPT2LMHeadModel  # noqa: E402

from seqpack_torch import PackedDataset, collate_packed  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def pack(output: Path, seq_len: int) -> None:
    subprocess.run(
        [str(ROOT / "submit/local.sh"), "--input", str(ROOT / "test-data/europarl-1k.txt"),
         "--tokenizer", str(ROOT / "test-data/tokenizers/gpt2"), "--seq-len", str(seq_len),
         "--output", str(output), "--overwrite", "--quiet"],
        cwd=ROOT, check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--seq-len", type=int, default=256)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--report-every", type=int, default=25, help="steps per printed line")
    parser.add_argument("--output", type=Path, default=ROOT / "out/train-tiny")
    args = parser.parse_args()
    pack(args.output, args.seq_len)

    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=50257, n_embd=64, n_layer=2, n_head=4,
                                       n_positions=args.seq_len, attn_implementation="eager"))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    step, tokens, padding, cells, start = 0, 0, 0, 0, time.perf_counter()
    window = []  # losses since the last printed line
    epoch = 0
    while step < args.steps:
        dataset = PackedDataset(str(args.output), seed=0, epoch=epoch)
        loader = DataLoader(dataset, batch_size=args.batch, collate_fn=collate_packed)
        for batch in loader:
            allowed = batch["attention_mask"]
            mask = torch.zeros(allowed.shape).masked_fill(~allowed, torch.finfo(torch.float32).min)
            loss = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"],
                         attention_mask=mask, labels=batch["labels"]).loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            window.append(loss.item())
            real = int((batch["segment_ids"] != 0).sum())
            tokens += real
            cells += batch["segment_ids"].numel()
            padding += batch["segment_ids"].numel() - real
            if step == 1 or step % args.report_every == 0 or step == args.steps:
                elapsed = time.perf_counter() - start
                print(f"step {step:4d}  loss {sum(window) / len(window):.3f} (mean of {len(window)})"
                      f"  {tokens / elapsed:,.0f} tokens/s  padding {padding / cells:.2%}", flush=True)
                window = []
            if step == args.steps:
                break
        epoch += 1


if __name__ == "__main__":
    main()
