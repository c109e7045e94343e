"""PyTorch loading of seqpack's packed rows (docs/FORMAT.md, docs/TRAINING.md)."""

from seqpack_torch.collate import collate_packed
from seqpack_torch.dataset import FormatError, PackedDataset

__all__ = ["PackedDataset", "collate_packed", "FormatError"]
