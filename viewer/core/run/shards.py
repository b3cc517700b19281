"""A folder run split over machines: shard K of N runs every N-th image of the folder's
sorted file list, starting at the K-th. The split depends only on the file names, so every
machine given the same folder computes the same one, and a merge can check that the
shards cover the folder exactly once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from viewer.core.errors import InputError

_FORM = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")
MAX_SHARDS = 100_000


@dataclass(frozen=True)
class Shard:
    """Shard `k` of `n` (1 <= k <= n)."""

    k: int
    n: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N` as the command line gives it; InputError otherwise."""
        found = _FORM.fullmatch(text)
        k, n = (int(found[1]), int(found[2])) if found else (0, 0)
        if not 1 <= k <= n <= MAX_SHARDS:
            raise InputError("--shard", f"must be K/N with 1 <= K <= N, not {text}")
        return cls(k, n)

    def indices(self, count: int) -> list[int]:
        """The indices of this shard's files among `count` sorted files."""
        return list(range(self.k - 1, count, self.n))

    def __str__(self) -> str:
        return f"{self.k}/{self.n}"


def every_image(count: int) -> list[int]:
    """An unsharded run's indices: all of them."""
    return list(range(count))


def names_digest(files: list[Path]) -> str:
    """The folder's file names (in order) as one SHA-256: shards and resumed runs of the
    same folder agree on it, wherever the folder lies."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()
