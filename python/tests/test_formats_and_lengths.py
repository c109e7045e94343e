"""Megatron and llm.c outputs, read with numpy from the formats' own specifications (Megatron-LM's
megatron/core/datasets/indexed_dataset.py, llm.c's dev/data/data_common.py), against the Hugging
Face reference tokenizer: every document is its input line's ids with the sentinel where each
format's own tools put it; and an output of several lengths is read one length at a time."""

import json

import numpy as np
import pytest
from tokenizers import Tokenizer

from conftest import ROOT, run_job
from seqpack_torch import FormatError, PackedDataset

EOS = 50256  # GPT-2's <|endoftext|>


@pytest.fixture(scope="module")
def reference():
    tokenizer = Tokenizer.from_file(str(ROOT / "test-data/tokenizers/gpt2/tokenizer.json"))
    lines = (ROOT / "test-data/europarl-1k.txt").read_text(encoding="utf-8").splitlines()
    return [tokenizer.encode(line, add_special_tokens=False).ids for line in lines]


def manifest(path):
    return json.loads((path / "_manifest.json").read_text())


def read_megatron(prefix):
    """(sequences, document indices, dtype) of one .bin/.idx pair."""
    index = (prefix.parent / (prefix.name + ".idx")).read_bytes()
    assert index[:9] == b"MMIDIDX\x00\x00"
    assert np.frombuffer(index, "<u8", 1, 9)[0] == 1
    code = index[17]
    dtype = {8: np.dtype("<u2"), 4: np.dtype("<i4")}[code]
    sequences, documents = np.frombuffer(index, "<u8", 2, 18)
    lengths = np.frombuffer(index, "<i4", sequences, 34)
    pointers = np.frombuffer(index, "<i8", sequences, 34 + 4 * sequences)
    starts = np.frombuffer(index, "<i8", documents, 34 + 12 * sequences)
    assert 34 + 12 * sequences + 8 * documents == len(index)
    data = np.fromfile(prefix.parent / (prefix.name + ".bin"), dtype)
    assert (pointers == np.concatenate([[0], np.cumsum(lengths)[:-1]]) * dtype.itemsize).all()
    assert len(data) == lengths.sum()
    return [data[p // dtype.itemsize : p // dtype.itemsize + n] for p, n in zip(pointers, lengths)], starts, dtype


def test_megatron_documents_are_the_reference_ids_with_eod(tmp_path, reference):
    out = run_job(tmp_path / "megatron", "--output-format", "megatron", "--seq-len", "512", "--partitions", "2")
    documents = []
    for dataset in manifest(out)["datasets"]:
        sequences, starts, dtype = read_megatron(out / dataset["prefix"])
        assert dtype == np.dtype("<u2"), "uint16 for a vocabulary of 50,257 (< 65,500)"
        assert starts[0] == 0 and starts[-1] == len(sequences) and (np.diff(starts) > 0).all()
        assert all(1 <= len(s) <= 512 for s in sequences)
        for first, end in zip(starts[:-1], starts[1:]):
            documents.append(np.concatenate(sequences[first:end]).tolist())
        assert dataset["documents"] == len(starts) - 1 and dataset["sequences"] == len(sequences)
    assert documents == [ids + [EOS] for ids in reference]


def test_llmc_stream_is_each_reference_document_after_its_delimiter(tmp_path, reference):
    out = run_job(tmp_path / "llmc", "--output-format", "llmc", "--shard-tokens", "40000", "--partitions", "2")
    stream = []
    for file in manifest(out)["files"]:
        raw = (out / file["path"]).read_bytes()
        header = np.frombuffer(raw, "<i4", 256)
        assert header[0] == 20240520 and header[1] == 1 and not header[3:].any()
        tokens = np.frombuffer(raw, "<u2", offset=1024)
        assert len(tokens) == header[2] == file["tokens"] <= 40000
        stream.extend(tokens.tolist())
    assert stream == [t for ids in reference for t in [EOS] + ids]


def test_the_loader_refuses_an_output_that_is_not_rows(tmp_path):
    out = run_job(tmp_path / "megatron", "--output-format", "megatron")
    with pytest.raises(FormatError, match="megatron-indexed/1"):
        PackedDataset(str(out))


def test_several_lengths_are_read_one_folder_at_a_time(tmp_path):
    out = run_job(tmp_path / "lengths", "--seq-len", "256,512")
    with pytest.raises(FormatError, match="several lengths; read one of its folders .L=256, L=512."):
        PackedDataset(str(out))
    short, long = PackedDataset(str(out / "L=256")), PackedDataset(str(out / "L=512"))
    assert short.seq_len == 256 and long.seq_len == 512
    assert short.num_rows > long.num_rows
