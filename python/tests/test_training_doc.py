"""Every Python block of docs/TRAINING.md runs, in order, in one namespace, against real job output,
and computes what the page says it computes.

The page's blocks expect ``out/run`` (an output folder), ``model``, ``rank``, ``world_size`` and
``epoch``. FlashAttention needs a CUDA GPU, so ``flash_attn`` is a plain PyTorch reference of its
varlen kernel: causal attention within each ``cu_seqlens`` range."""

import re
import sys
import types

import numpy as np
import pytest
import torch
from transformers import GPT2Config, GPT2LMHeadModel

from conftest import ROOT, run_job
from seqpack_torch import PackedDataset, collate_packed

DOC = ROOT / "docs/TRAINING.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.M | re.S)


def reference_varlen(q, k, v, cu_seqlens_q, cu_seqlens_k, max_seqlen_q, max_seqlen_k, causal=False):
    assert torch.equal(cu_seqlens_q, cu_seqlens_k) and cu_seqlens_q.dtype == torch.int32
    lengths = torch.diff(cu_seqlens_q)
    assert int(lengths.max()) == max_seqlen_q == max_seqlen_k
    assert int(cu_seqlens_q[-1]) == q.shape[0], "cu_seqlens must cover every token"
    out = torch.empty_like(q)
    for start, end in zip(cu_seqlens_q[:-1].tolist(), cu_seqlens_q[1:].tolist()):
        # [n, heads, dim] -> [heads, n, dim]
        piece = [t[start:end].transpose(0, 1) for t in (q, k, v)]
        attended = torch.nn.functional.scaled_dot_product_attention(*piece, is_causal=causal)
        out[start:end] = attended.transpose(0, 1)
    return out


@pytest.fixture(scope="module")
def small_output(tmp_path_factory):
    """GPT-2 rows of L = 256 with seq_lens from the first 40 documents (a few batches)."""
    folder = tmp_path_factory.mktemp("doc")
    corpus = folder / "europarl-40.txt"
    lines = (ROOT / "test-data/europarl-1k.txt").read_text(encoding="utf-8").splitlines(True)
    corpus.write_text("".join(lines[:40]), encoding="utf-8")
    return run_job(folder / "run", "--seq-len", "256", "--emit-seq-lens", input=corpus)


def key(row) -> bytes:
    return row["input_ids"].tobytes() + row["position_ids"].tobytes()


def test_every_block_of_the_page_runs_and_computes_what_it_says(small_output, tmp_path, monkeypatch):
    assert len(BLOCKS) == 10, "a block was added or removed: say here what it must compute"
    (tmp_path / "out").mkdir()
    (tmp_path / "out/run").symlink_to(small_output)
    monkeypatch.chdir(tmp_path)
    flash_attn = types.ModuleType("flash_attn")
    flash_attn.flash_attn_varlen_func = reference_varlen
    monkeypatch.setitem(sys.modules, "flash_attn", flash_attn)
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=50257, n_embd=32, n_layer=1, n_head=2,
                                       n_positions=256, attn_implementation="eager"))
    page = {"model": model, "rank": 0, "world_size": 1, "epoch": 0, "__name__": "training_doc"}

    def run(index):
        exec(compile(BLOCKS[index], f"{DOC}:block {index + 1}", "exec"), page)

    # The loader and one pass of training over every batch.
    run(0)
    rows_total = PackedDataset(str(small_output)).num_rows
    assert rows_total >= 9, "fewer rows than two batches: the loop proves little"
    assert torch.isfinite(page["loss"])
    model.eval()  # no dropout from here: the losses below are compared
    # Resume: the row after the first ten.
    run(1)
    whole = list(PackedDataset(str(small_output), seed=0, epoch=0))
    assert [key(r) for r in page["first"]] == [key(r) for r in whole[:10]]
    assert key(page["following"]) == key(whole[10])
    # datasets reads the rows the manifest lists.
    run(2)
    assert len(page["ds"]) == rows_total
    assert page["ds"][0]["input_ids"].shape == (256,)
    # Labels by hand equal the loader's; the hand-shifted loss equals the model's own.
    run(3)
    run(4)
    rows = page["rows"]
    assert torch.equal(page["labels"], collate_packed(rows)["labels"])
    own = model(input_ids=page["input_ids"], position_ids=page["batch"]["position_ids"],
                attention_mask=page["mask"], labels=page["labels"]).loss
    torch.testing.assert_close(page["loss"], own)
    # The attention examples: the same attention, each way.
    for index in range(5, 10):
        run(index)
    real = page["seg"] > 0
    assert int(page["seg"].max()) >= 2, "rows of one segment cannot show a leak"
    sdpa = page["out_sdpa"]
    assert torch.equal(page["allowed"][:, None], collate_packed(rows)["attention_mask"])
    torch.testing.assert_close(page["out_flex"].transpose(1, 2)[real], sdpa.transpose(1, 2)[real])
    torch.testing.assert_close(page["out_varlen"], sdpa.transpose(1, 2)[real])
    assert page["seq_lens_from"](page["seg"]) == [[int(n) for n in r["seq_lens"]] for r in rows]
    # A leak would show: the varlen output differs from attention over the whole row.
    plain = torch.nn.functional.scaled_dot_product_attention(page["q"], page["k"], page["v"], is_causal=True)
    assert not torch.allclose(plain.transpose(1, 2)[real], page["out_varlen"], atol=1e-4)
    assert np.isfinite(sdpa.numpy()).all()
