"""A packed row trains like its documents alone.

Tiny random models (no weights fetched) score real packed rows of the job (GPT-2 pretraining rows
of the bundled Europarl slice; Llama 3 SFT rows of chats and pairs) in one forward pass per row, with the loader's block-diagonal mask and position ids, and every segment of the row alone
(its own tokens, positions from 0, the ordinary causal mask). Per-token losses agree to 1e-5
relative; the targets are the same tokens. The same comparison fails on a plain causal mask
across the row, and on positions that do not restart per segment (tested with GPT-2: Llama's RoPE
is translation-invariant, so shifted positions cannot change its logits)."""

import os

import numpy as np
import pytest
import torch

os.environ.setdefault("HF_HUB_OFFLINE", "1")
from transformers import GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM  # noqa: E402

from seqpack_torch import PackedDataset, collate_packed  # noqa: E402

GPT2_VOCAB = 50257  # the pretraining rows are GPT-2 tokenized
LLAMA3_VOCAB = 128256  # the SFT rows are Llama 3 tokenized
RTOL = 1e-5


def llama(vocab=GPT2_VOCAB):
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=vocab, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=1024,
        attn_implementation="eager",
    )
    return LlamaForCausalLM(config).eval()


def gpt2(vocab=GPT2_VOCAB):
    torch.manual_seed(0)
    config = GPT2Config(
        vocab_size=vocab, n_embd=64, n_layer=2, n_head=4, n_positions=1024,
        attn_implementation="eager",
    )
    return GPT2LMHeadModel(config).eval()


def additive(mask: torch.Tensor) -> torch.Tensor:
    return torch.zeros(mask.shape).masked_fill(~mask, torch.finfo(torch.float32).min)


def token_losses(logits: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
    """Loss of predicting ids[t] from position t - 1, for t = 1..n-1 (index t - 1)."""
    return torch.nn.functional.cross_entropy(logits[:-1], ids[1:], reduction="none")


@torch.no_grad()
def packed_losses(model, batch, b, mask=None, positions=None):
    mask = batch["attention_mask"][b : b + 1] if mask is None else mask
    positions = batch["position_ids"][b : b + 1] if positions is None else positions
    logits = model(
        input_ids=batch["input_ids"][b : b + 1],
        position_ids=positions,
        attention_mask=additive(mask),
    ).logits[0]
    losses = token_losses(logits, batch["input_ids"][b])
    targets = batch["labels"][b][1:] != -100
    return {t + 1: losses[t].item() for t in torch.nonzero(targets).flatten().tolist()}


@torch.no_grad()
def alone_losses(model, batch, b):
    ids, segments = batch["input_ids"][b], batch["segment_ids"][b]
    loss_mask = batch["labels"][b] != -100
    out = {}
    for segment in torch.unique(segments[segments != 0]).tolist():
        where = torch.nonzero(segments == segment).flatten()
        tokens = ids[where]
        logits = model(input_ids=tokens[None], position_ids=torch.arange(len(tokens))[None]).logits[0]
        losses = token_losses(logits, tokens)
        for i in range(1, len(tokens)):
            if loss_mask[where[i]]:
                out[where[i].item()] = losses[i - 1].item()
    return out


def agree(packed: dict, alone: dict) -> bool:
    if packed.keys() != alone.keys():
        return False
    a = np.array([packed[t] for t in sorted(packed)])
    b = np.array([alone[t] for t in sorted(alone)])
    return bool(np.allclose(a, b, rtol=RTOL, atol=0))


def most_segments(path, count=4):
    """The rows with the most segments: the cases where a leak would show."""
    rows = sorted(PackedDataset(str(path), shuffle=False), key=lambda r: -int(r["segment_ids"].max()))
    assert int(rows[count - 1]["segment_ids"].max()) >= 3
    return collate_packed(rows[:count], "sdpa")


@pytest.fixture(scope="module")
def batch(packed):
    return most_segments(packed)


@pytest.fixture(scope="module")
def sft_batch(sft_packed):
    return most_segments(sft_packed)


def assert_scores_alike(model, batch):
    for b in range(batch["input_ids"].shape[0]):
        packed = packed_losses(model, batch, b)
        alone = alone_losses(model, batch, b)
        assert packed.keys() == alone.keys(), "the targets differ"
        assert len(packed) == int((batch["labels"][b] != -100).sum())
        assert agree(packed, alone), f"row {b}: per-token losses differ beyond {RTOL}"
        total_packed = sum(packed.values())
        total_alone = sum(alone.values())
        assert total_packed == pytest.approx(total_alone, rel=RTOL)


@pytest.mark.parametrize("make", [llama, gpt2], ids=["llama", "gpt2"])
def test_packed_rows_score_like_each_document_alone(batch, make):
    assert_scores_alike(make(), batch)


@pytest.mark.parametrize("make", [llama, gpt2], ids=["llama", "gpt2"])
def test_packed_chats_score_like_each_example_alone(sft_batch, make):
    """SFT rows (Llama 3 chat template, L = 1024): only the assistant tokens are targets, and each
    scores as in its example alone."""
    assert_scores_alike(make(LLAMA3_VOCAB), sft_batch)


@pytest.mark.parametrize("make", [llama, gpt2], ids=["llama", "gpt2"])
def test_a_plain_causal_mask_across_the_chats_is_caught(sft_batch, make):
    model = make(LLAMA3_VOCAB)
    length = sft_batch["input_ids"].shape[1]
    causal = torch.ones(length, length, dtype=torch.bool).tril()[None, None]
    packed = packed_losses(model, sft_batch, 0, mask=causal)
    assert not agree(packed, alone_losses(model, sft_batch, 0))


@pytest.mark.parametrize("make", [llama, gpt2], ids=["llama", "gpt2"])
def test_a_plain_causal_mask_across_the_row_is_caught(batch, make):
    model = make()
    length = batch["input_ids"].shape[1]
    causal = torch.ones(length, length, dtype=torch.bool).tril()[None, None]
    packed = packed_losses(model, batch, 0, mask=causal)
    assert not agree(packed, alone_losses(model, batch, 0))


def test_positions_that_do_not_restart_per_segment_are_caught(batch):
    model = gpt2()
    length = batch["input_ids"].shape[1]
    packed = packed_losses(model, batch, 0, positions=torch.arange(length)[None])
    assert not agree(packed, alone_losses(model, batch, 0))
