"""Batches of packed rows as model inputs, with the attention that keeps documents apart."""

from __future__ import annotations

import numpy as np
import torch

MODES = ("sdpa", "flex", "varlen")


def collate_packed(rows, attention: str = "sdpa") -> dict:
    """``input_ids``, ``labels`` (-100 where ``loss_mask`` is 0), ``position_ids``,
    ``segment_ids``, and per ``attention`` mode:

    - ``sdpa``: ``attention_mask``, boolean ``(B, 1, L, L)``, True where query i may attend key j
      (same segment, j <= i; padding attends only itself so that no row of the mask is empty);
    - ``flex``: ``block_mask``, a FlexAttention BlockMask of the same rule;
    - ``varlen``: ``cu_seqlens`` (int32, over the batch flattened to one sequence, from
      ``seq_lens`` when present, else from ``segment_ids``; padding is one more sequence per row)
      and ``max_seqlen``, for FlashAttention's varlen kernels.
    """
    if attention not in MODES:
        raise ValueError(f"attention is '{attention}'; must be one of {', '.join(MODES)}")
    input_ids = torch.as_tensor(np.stack([r["input_ids"] for r in rows])).long()
    segment_ids = torch.as_tensor(np.stack([r["segment_ids"] for r in rows])).long()
    position_ids = torch.as_tensor(np.stack([r["position_ids"] for r in rows])).long()
    loss_mask = torch.as_tensor(np.stack([r["loss_mask"] for r in rows])).bool()
    batch = {
        "input_ids": input_ids,
        "labels": torch.where(loss_mask, input_ids, torch.full_like(input_ids, -100)),
        "position_ids": position_ids,
        "segment_ids": segment_ids,
    }
    if attention == "sdpa":
        batch["attention_mask"] = block_causal_mask(segment_ids)
    elif attention == "flex":
        batch["block_mask"] = _flex_mask(segment_ids)
    else:
        batch["cu_seqlens"], batch["max_seqlen"] = _cu_seqlens(rows, segment_ids)
    return batch


def block_causal_mask(segment_ids: torch.Tensor) -> torch.Tensor:
    """(B, 1, L, L) bool: query i sees key j iff same segment and j <= i (padding sees itself)."""
    length = segment_ids.shape[-1]
    causal = torch.ones(length, length, dtype=torch.bool).tril()
    same = segment_ids[:, :, None] == segment_ids[:, None, :]
    padding = (segment_ids == 0)[:, :, None] & torch.eye(length, dtype=torch.bool)
    real = (segment_ids != 0)[:, :, None]
    return ((same & causal & real) | padding)[:, None, :, :]


def _flex_mask(segment_ids: torch.Tensor):
    try:
        from torch.nn.attention.flex_attention import create_block_mask
    except ImportError as e:  # older torch
        raise RuntimeError(
            f"attention 'flex' needs torch.nn.attention.flex_attention (torch >= 2.5): {e}"
        ) from e
    batch, length = segment_ids.shape

    def rule(b, h, q, k):
        same = segment_ids[b, q] == segment_ids[b, k]
        real = segment_ids[b, q] != 0
        return (same & real & (k <= q)) | ((segment_ids[b, q] == 0) & (q == k))

    return create_block_mask(rule, batch, None, length, length, device=segment_ids.device)


def _cu_seqlens(rows, segment_ids: torch.Tensor):
    lengths: list[int] = []
    for row, segments in zip(rows, segment_ids):
        if "seq_lens" in row:
            real = [int(n) for n in row["seq_lens"]]
        else:
            ids = segments[segments != 0]
            real = torch.unique_consecutive(ids, return_counts=True)[1].tolist()
        padding = segments.numel() - sum(real)
        lengths.extend(real + ([padding] if padding else []))
    cu = torch.zeros(len(lengths) + 1, dtype=torch.int32)
    cu[1:] = torch.cumsum(torch.tensor(lengths, dtype=torch.int32), 0)
    return cu, max(lengths)
