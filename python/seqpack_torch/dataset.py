"""An IterableDataset over a seqpack output folder.

The data files are the ones ``_manifest.json`` lists (docs/FORMAT.md): on object stores, files of
runs that never committed can lie beside them, so the folder is never globbed.

Order: a seeded two-level shuffle per epoch (row groups, then rows within each row group), so each
row group is read once per pass. The epoch's order is split into ``world_size`` contiguous blocks,
one per rank (sizes differ by at most one row), and a rank's block among its DataLoader workers
row by row: every row is read exactly once per epoch, by one worker of one rank.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass

import numpy as np
import pyarrow.fs as pafs
import pyarrow.parquet as pq
from torch.utils.data import IterableDataset, get_worker_info

FORMAT_KEY = b"seqpack.format"
KNOWN_FORMATS = {"packed-rows/1"}
COLUMNS = ["input_ids", "segment_ids", "position_ids", "loss_mask"]


class FormatError(ValueError):
    """The folder is not a committed output this loader can read; the message says why."""


@dataclass(frozen=True)
class _RowGroup:
    path: str
    index: int
    rows: int


def _open(path: str):
    if "://" in path:
        fs, root = pafs.FileSystem.from_uri(path)
    else:
        fs, root = pafs.LocalFileSystem(), posixpath.abspath(path)
    return fs, root.rstrip("/")


def _read_text(fs, path: str) -> str:
    with fs.open_input_stream(path) as stream:
        return stream.read().decode("utf-8")


def _exists(fs, path: str) -> bool:
    return fs.get_file_info(path).type != pafs.FileType.NotFound


class PackedDataset(IterableDataset):
    """Rows of a seqpack output as dicts of numpy arrays (``input_ids``, ``segment_ids``,
    ``position_ids``, ``loss_mask``, and ``seq_lens`` when the output has it)."""

    def __init__(
        self,
        path: str,
        *,
        rank: int = 0,
        world_size: int = 1,
        seed: int = 0,
        shuffle: bool = True,
        epoch: int = 0,
    ):
        if world_size < 1 or not 0 <= rank < world_size:
            raise ValueError(f"rank {rank} and world_size {world_size}: need 0 <= rank < world_size")
        self.path = path
        self.rank = rank
        self.world_size = world_size
        self.seed = seed
        self.shuffle = shuffle
        self.epoch = epoch
        self._consumed = 0  # rows of this rank's block already yielded (state_dict)
        fs, root = _open(path)
        self._fs = fs
        self._root = root
        if not _exists(fs, root + "/_SUCCESS"):
            raise FormatError(
                f"{path}: no _SUCCESS, so the run did not commit (it failed, was killed or is still"
                " running); read a committed output"
            )
        if not _exists(fs, root + "/_manifest.json") and _exists(fs, root + "/stats.json"):
            lengths = json.loads(_read_text(fs, root + "/stats.json")).get("seq_lens")
            if lengths:
                raise FormatError(
                    f"{path}: an output of several lengths; read one of its folders"
                    f" ({', '.join(f'L={n}' for n in lengths)})"
                )
        if not _exists(fs, root + "/_manifest.json"):
            raise FormatError(f"{path}: no _manifest.json, the list of the output's files")
        manifest = json.loads(_read_text(fs, root + "/_manifest.json"))
        if manifest.get("format", "packed-rows/1") not in KNOWN_FORMATS:
            raise FormatError(
                f"{path}: a {manifest.get('format')} output; this loader reads packed rows"
                f" ({', '.join(sorted(KNOWN_FORMATS))}): read Megatron and llm.c files with their"
                " trainers"
            )
        stats = json.loads(_read_text(fs, root + "/stats.json"))
        self.seq_len = int(stats["seq_len"])
        self._row_groups: list[_RowGroup] = []
        self.columns = list(COLUMNS)
        for entry in manifest["files"]:
            file = root + "/" + entry["path"]
            with fs.open_input_file(file) as handle:
                metadata = pq.ParquetFile(handle).metadata
            recorded = (metadata.metadata or {}).get(FORMAT_KEY, b"").decode("utf-8")
            if recorded not in KNOWN_FORMATS:
                raise FormatError(
                    f"{entry['path']}: footer {FORMAT_KEY.decode()} is '{recorded}'; this loader"
                    f" reads {', '.join(sorted(KNOWN_FORMATS))}"
                )
            # Top-level names (the Parquet schema's own names are the leaves, "element" for lists).
            names = metadata.schema.to_arrow_schema().names
            if "seq_lens" in names and "seq_lens" not in self.columns:
                self.columns.append("seq_lens")
            for index in range(metadata.num_row_groups):
                self._row_groups.append(_RowGroup(file, index, metadata.row_group(index).num_rows))
        self.num_rows = sum(group.rows for group in self._row_groups)

    def __len__(self) -> int:
        start, end = self._block()
        return end - start

    def set_epoch(self, epoch: int) -> None:
        """A new pass in the order of ``epoch``, from its start."""
        self.epoch = epoch
        self._consumed = 0

    def state_dict(self) -> dict:
        """Where this rank is in the epoch: the rows of its block already yielded. Exact when rows
        are read in the training process (``num_workers=0``); with DataLoader workers, pass the
        number of rows the loop consumed as ``consumed`` only when each batch comes whole from
        one worker in turn, or use torchdata's StatefulDataLoader."""
        return {
            "seed": self.seed,
            "epoch": self.epoch,
            "world_size": self.world_size,
            "rank": self.rank,
            "consumed": self._consumed,
        }

    def load_state_dict(self, state: dict) -> None:
        for key in ("seed", "world_size", "rank"):
            if state[key] != getattr(self, key):
                raise ValueError(
                    f"state_dict has {key} {state[key]}; this dataset has {getattr(self, key)}"
                )
        self.epoch = state["epoch"]
        self._consumed = state["consumed"]

    def _order(self):
        """Row groups in this epoch's order, and their first positions in the epoch's order."""
        order = np.arange(len(self._row_groups))
        if self.shuffle:
            order = np.random.default_rng([self.seed, self.epoch]).permutation(order)
        sizes = np.array([self._row_groups[i].rows for i in order], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(sizes)])
        return order, starts

    def _block(self):
        base, extra = divmod(self.num_rows, self.world_size)
        start = self.rank * base + min(self.rank, extra)
        return start, start + base + (1 if self.rank < extra else 0)

    def _rows_within(self, group_id: int, rows: int) -> np.ndarray:
        if not self.shuffle:
            return np.arange(rows)
        return np.random.default_rng([self.seed, self.epoch, group_id]).permutation(rows)

    def __iter__(self):
        info = get_worker_info()
        worker, workers = (0, 1) if info is None else (info.id, info.num_workers)
        start, end = self._block()
        first = start + self._consumed
        order, starts = self._order()
        # Positions this worker yields: first + worker, first + worker + workers, ...
        position = first + worker
        k = int(np.searchsorted(starts, position, side="right") - 1) if position < end else 0
        while position < end:
            while starts[k + 1] <= position:
                k += 1
            group = self._row_groups[order[k]]
            table = self._read(group)
            within = self._rows_within(int(order[k]), group.rows)
            while position < end and position < starts[k + 1]:
                row = int(within[position - starts[k]])
                if info is None:
                    self._consumed = position - start + 1  # before yielding: a row handed out
                yield {name: table[name][row] for name in self.columns}
                position += workers

    def _read(self, group: _RowGroup) -> dict:
        with self._fs.open_input_file(group.path) as handle:
            table = pq.ParquetFile(handle).read_row_group(group.index, columns=self.columns)
        arrays = {}
        for name in self.columns:
            column = table.column(name).combine_chunks()
            lengths = np.diff(column.offsets.to_numpy())
            values = column.values.to_numpy(zero_copy_only=False)
            if name != "seq_lens":
                bad = np.nonzero(lengths != self.seq_len)[0]
                if len(bad):
                    raise FormatError(
                        f"{posixpath.basename(group.path)} row group {group.index} row {bad[0]}:"
                        f" {name} has {lengths[bad[0]]} values; rows have L = {self.seq_len}"
                    )
                arrays[name] = values.reshape(-1, self.seq_len)
            else:
                offsets = column.offsets.to_numpy()
                arrays[name] = [values[offsets[i] : offsets[i + 1]] for i in range(len(lengths))]
        return arrays
