"""PackedDataset: every row once per epoch across ranks and workers, a seeded order, exact resume,
and refusals with the reason."""

import json
import shutil
from collections import Counter

import numpy as np
import pyarrow.parquet as pq
import pytest
import torch
from torch.utils.data import DataLoader

from seqpack_torch import FormatError, PackedDataset, collate_packed


def key(row) -> bytes:
    # Rows are distinct (each holds other documents' tokens); the bytes identify one.
    return row["input_ids"].tobytes() + row["position_ids"].tobytes()


def all_rows(path) -> Counter:
    manifest = json.loads((path / "_manifest.json").read_text())
    rows = Counter()
    for entry in manifest["files"]:
        table = pq.read_table(path / entry["path"], columns=["input_ids", "position_ids"])
        for ids, pos in zip(table["input_ids"].to_pylist(), table["position_ids"].to_pylist()):
            rows[np.asarray(ids, np.int32).tobytes() + np.asarray(pos, np.int32).tobytes()] += 1
    return rows


@pytest.mark.parametrize("world_size,workers", [(1, 0), (2, 0), (3, 2), (2, 3)])
def test_every_row_once_per_epoch_across_ranks_and_workers(packed, world_size, workers):
    expected = all_rows(packed)
    seen = Counter()
    for rank in range(world_size):
        dataset = PackedDataset(str(packed), rank=rank, world_size=world_size, seed=5)
        loader = DataLoader(dataset, batch_size=None, num_workers=workers)
        for row in loader:
            seen[np.asarray(row["input_ids"], np.int32).tobytes() + np.asarray(row["position_ids"], np.int32).tobytes()] += 1
    assert seen == expected
    assert sum(expected.values()) == PackedDataset(str(packed)).num_rows


def test_the_order_is_seeded_per_epoch(packed):
    def order(seed, epoch):
        return [key(r) for r in PackedDataset(str(packed), seed=seed, epoch=epoch)]

    assert order(1, 0) == order(1, 0)
    assert order(1, 0) != order(1, 1)
    assert order(1, 0) != order(2, 0)
    assert sorted(order(1, 0)) == sorted(order(1, 1))
    unshuffled = [key(r) for r in PackedDataset(str(packed), shuffle=False)]
    assert unshuffled != order(1, 0)


def test_resume_mid_epoch_gives_the_next_row(packed):
    dataset = PackedDataset(str(packed), seed=3, epoch=2, rank=1, world_size=2)
    full = [key(r) for r in dataset]
    dataset = PackedDataset(str(packed), seed=3, epoch=2, rank=1, world_size=2)
    iterator = iter(dataset)
    head = [key(next(iterator)) for _ in range(37)]
    state = dataset.state_dict()
    resumed = PackedDataset(str(packed), seed=3, rank=1, world_size=2)
    resumed.load_state_dict(state)
    assert head + [key(r) for r in resumed] == full


def test_refuses_an_output_that_did_not_commit_or_of_another_format(packed, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(packed, copy)
    (copy / "_SUCCESS").unlink()
    with pytest.raises(FormatError, match="no _SUCCESS"):
        PackedDataset(str(copy))
    (copy / "_SUCCESS").write_text("")
    manifest = json.loads((copy / "_manifest.json").read_text())
    first = copy / manifest["files"][0]["path"]
    table = pq.read_table(first)
    metadata = dict(table.schema.metadata)
    metadata[b"seqpack.format"] = b"packed-rows/99"
    pq.write_table(table.replace_schema_metadata(metadata), first)
    with pytest.raises(FormatError, match="packed-rows/99"):
        PackedDataset(str(copy))


def test_refuses_rows_of_the_wrong_length(packed, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(packed, copy)
    manifest = json.loads((copy / "_manifest.json").read_text())
    first = copy / manifest["files"][0]["path"]
    table = pq.read_table(first)
    ids = table["input_ids"].to_pylist()
    ids[4] = ids[4][:-1]
    import pyarrow as pa

    column = pa.array(ids, type=table.schema.field("input_ids").type)
    table = table.set_column(table.schema.get_field_index("input_ids"), "input_ids", column)
    pq.write_table(table, first)
    with pytest.raises(FormatError, match="input_ids has 255 values; rows have L = 256"):
        list(PackedDataset(str(copy), shuffle=False))


def test_collate_modes_agree_on_the_segments(packed):
    rows = [r for _, r in zip(range(3), PackedDataset(str(packed)))]
    assert all("seq_lens" in r for r in rows), "the output has seq_lens (--emit-seq-lens)"
    sdpa = collate_packed(rows, "sdpa")
    varlen = collate_packed(rows, "varlen")
    mask = sdpa["attention_mask"]
    assert mask.shape == (3, 1, 256, 256) and mask.dtype == torch.bool
    # The mask's block structure and cu_seqlens describe the same segments.
    starts = []
    for b in range(3):
        seg = sdpa["segment_ids"][b]
        for i in range(256):
            if i == 0 or seg[i] != seg[i - 1]:
                starts.append(b * 256 + i)
    assert varlen["cu_seqlens"].tolist() == starts + [3 * 256]
    assert varlen["cu_seqlens"].dtype == torch.int32
    # From segment_ids alone (no seq_lens) the same boundaries.
    without = [{k: v for k, v in r.items() if k != "seq_lens"} for r in rows]
    assert torch.equal(collate_packed(without, "varlen")["cu_seqlens"], varlen["cu_seqlens"])
    labels = sdpa["labels"]
    loss_mask = torch.as_tensor(np.stack([r["loss_mask"] for r in rows])).bool()
    assert torch.equal(labels != -100, loss_mask)


def test_flex_block_mask_attends_as_the_sdpa_mask(packed):
    flex = pytest.importorskip("torch.nn.attention.flex_attention")
    rows = sorted(PackedDataset(str(packed), shuffle=False), key=lambda r: -int(r["segment_ids"].max()))[:2]
    dense = collate_packed(rows, "sdpa")["attention_mask"]
    block_mask = collate_packed(rows, "flex")["block_mask"]
    torch.manual_seed(0)
    q, k, v = (torch.randn(2, 2, 256, 16) for _ in range(3))
    expected = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=dense)
    actual = flex.flex_attention(q, k, v, block_mask=block_mask)
    torch.testing.assert_close(actual, expected, rtol=1e-5, atol=1e-5)
