"""Word shingles, MinHash signatures and LSH banding, vectorised over batches of texts.

Pure numeric functions: texts and arrays in, arrays out, no I/O. Shingles are runs of
`shingle_size` tokens of `ingest.clean.content_key(text)` (case, whitespace and quote style
folded), each hashed to 32 bits; a text's shingle set is kept as a sorted array of those hashes,
so the Jaccard of two texts can be computed exactly, not only estimated from signatures.

Why not hash shingle strings in Python: building and hashing ~400 strings per article costs
far more than the MinHash itself (BBC, CPU per article: ~180 us for the strings and xxh3, ~20 us
for rensa's signatures from the hashes, ~550 us for datasketch's `update_batch` with xxh32).
Here a batch of texts becomes one byte array, every token's hash is a difference of two
polynomial prefix sums (mod 2**64, then mixed), a shingle's hash combines its tokens' hashes
(~80 us per article, folding included), and `rensa` signs the flat hash buffer in Rust.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import rensa

U64 = np.uint64
_M32 = U64(0xFFFFFFFF)
_MASK64 = (1 << 64) - 1

# Bytes str.split() treats as whitespace in an ASCII string (content_key folds exactly these).
_ASCII_SPACE = np.zeros(256, dtype=bool)
_ASCII_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True

MINHASH_ALGORITHM = f"rensa-rminhash{rensa.RMinHash.ALGORITHM_VERSION}"

# Only this much of a text is shingled: the prefix tables grow with the batch's bytes, and two
# texts that share their first 2 MB (some 300,000 words) are the same story for any purpose here.
MAX_TEXT_BYTES = 1 << 21


@dataclass(frozen=True, slots=True)
class ShingleSets:
    """Sorted unique 32-bit shingle hashes of n texts: text i owns `values[offsets[i]:offsets[i+1]]`."""

    values: np.ndarray  # uint32
    offsets: np.ndarray  # int64, n + 1

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def row(self, i: int) -> np.ndarray:
        return self.values[self.offsets[i] : self.offsets[i + 1]]

    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)


def _splitmix64(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def _fmix64(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser: spreads the polynomial's structure over all 64 bits."""
    x = x ^ (x >> U64(33))
    x *= U64(0xFF51AFD7ED558CCD)
    x ^= x >> U64(33)
    x *= U64(0xC4CEB9FE1A85EC53)
    x ^= x >> U64(33)
    return x


@functools.lru_cache(maxsize=2)
def _powers(seed: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """B**i, B**-i (mod 2**64) and the prefix sums of B**i for i < n, B odd and derived from `seed`."""
    base = _splitmix64(seed) | 1
    inv = pow(base, -1, 1 << 64)
    with np.errstate(over="ignore"):
        pw = np.empty(n, U64)
        ipw = np.empty(n, U64)
        pw[0] = ipw[0] = 1
        if n > 1:
            pw[1:] = np.cumprod(np.full(n - 1, base, U64))
            ipw[1:] = np.cumprod(np.full(n - 1, inv, U64))
        cp = np.zeros(n + 1, U64)
        np.cumsum(pw, out=cp[1:])
    return pw, ipw, cp


def _powers_for(seed: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # Cached in power-of-two sizes so batches of similar size share one table.
    return _powers(seed, 1 << max(16, (n - 1).bit_length()))


def folded_bytes(text: str) -> bytes:
    """UTF-8 bytes whose ASCII-whitespace-separated tokens are those of `content_key(text)`.

    ASCII text only needs casefold and backticks: its whitespace is split in the byte array,
    without building the folded string; other texts take the full fold.
    """
    s = text.casefold()
    if s.isascii():
        return (s.replace("`", "'") if "`" in s else s).encode("ascii")
    s = s.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(s.replace("`", "'").split()).encode("utf-8")


def shingle_sets(texts: Sequence[str], shingle_size: int, seed: int) -> ShingleSets:
    """Shingle hash sets of `texts`; a text shorter than `shingle_size` tokens is one shingle."""
    n_docs = len(texts)
    parts = [folded_bytes(t)[:MAX_TEXT_BYTES] for t in texts]
    if not n_docs:
        return ShingleSets(np.empty(0, np.uint32), np.zeros(1, np.int64))
    buf = np.frombuffer(b"\n".join(parts), dtype=np.uint8)
    n = buf.size
    doc_end = np.cumsum([len(p) + 1 for p in parts], dtype=np.int64) - 1  # the "\n" after each doc

    is_tok = ~_ASCII_SPACE[buf]
    edges = np.diff(is_tok.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    doc = np.searchsorted(doc_end, starts)
    n_tok = np.bincount(doc, minlength=n_docs)

    pw, ipw, cp = _powers_for(seed, n)
    mult = U64(_splitmix64(seed + 1) | 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(n + 1, U64)
        np.cumsum(buf * pw[:n], out=prefix[1:])
        # Token hash: sum of (byte + 1) * B**(i - start) over the token (the +1 keeps NUL bytes
        # from vanishing), read off the prefix sums; the whitespace between tokens never enters.
        tok = _fmix64(((prefix[ends] - prefix[starts]) + (cp[ends] - cp[starts])) * ipw[starts])

        # Shingle j = tokens j .. j+k-1 when they belong to one document.
        k = shingle_size
        m = len(starts)
        if m >= k:
            full = np.flatnonzero(doc[: m - k + 1] == doc[k - 1 :])
            acc = np.zeros(full.size, U64)
            for j in range(k):
                acc = acc * mult + tok[full + j]
            s_doc = doc[full]
        else:
            acc, s_doc = np.empty(0, U64), np.empty(0, np.int64)
        short = np.flatnonzero((n_tok > 0) & (n_tok < k))
        if short.size:  # a text shorter than k tokens is one shingle of all its tokens
            first = (np.cumsum(n_tok) - n_tok)[short]
            count = n_tok[short]
            acc_s = np.zeros(short.size, U64)
            for j in range(int(count.max())):
                live = j < count
                acc_s[live] = acc_s[live] * mult + tok[first[live] + j]
            acc = np.concatenate([acc, acc_s])
            s_doc = np.concatenate([s_doc, short])
        h32 = _fmix64(acc) >> U64(32)
    keyed = (s_doc.astype(U64) << U64(32)) | h32
    keyed.sort()
    if keyed.size:
        keyed = keyed[np.concatenate(([True], keyed[1:] != keyed[:-1]))]
    docs_of = (keyed >> U64(32)).astype(np.int64)
    offsets = np.zeros(n_docs + 1, np.int64)
    np.cumsum(np.bincount(docs_of, minlength=n_docs), out=offsets[1:])
    return ShingleSets((keyed & _M32).astype(np.uint32), offsets)


def signatures(sets: ShingleSets, num_perm: int, seed: int) -> np.ndarray:
    """(n, num_perm) uint32 MinHash signatures; a text with no shingle gets all 0xFFFFFFFF."""
    if not len(sets):
        return np.empty((0, num_perm), np.uint32)
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        sets.values.astype(U64), sets.offsets.astype(U64), num_perm, seed
    )
    return np.asarray(matrix.to_rows(), dtype=np.uint32).reshape(len(sets), num_perm)


def lsh_bands(threshold: float, num_perm: int, miss: float = 1e-3) -> tuple[int, int]:
    """(bands, rows): the most rows per band whose S-curve still makes a pair at `threshold` a
    candidate with probability >= 1 - miss.

    Candidates are verified by their exact Jaccard, so the banding is tuned for recall; the
    extra candidates only cost verification. (datasketch's balanced choice at 0.8 and 128
    permutations, 9 bands of 13 rows, catches a pair at Jaccard 0.81 only about half the time.)
    """
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= 1.0 - miss:
            best = (bands, rows)
    return best


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) uint64: one hash per band of `rows` signature values; equal keys = candidates."""
    n = sigs.shape[0]
    out = np.empty((n, bands), U64)
    with np.errstate(over="ignore"):
        for b in range(bands):
            block = sigs[:, b * rows : (b + 1) * rows].astype(U64)
            acc = np.full(n, U64(b + 1) * U64(0x9E3779B97F4A7C15), U64)
            for r in range(rows):
                acc = _fmix64(acc ^ block[:, r])
            out[:, b] = acc
    return out


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise share of equal signature values of two (n, num_perm) arrays."""
    return (a == b).mean(axis=1)


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard of two sorted unique hash arrays (0 when both are empty)."""
    if not a.size or not b.size:
        return 0.0
    if a.size > b.size:
        a, b = b, a
    pos = np.searchsorted(b, a)
    pos[pos == b.size] = 0
    inter = int(np.count_nonzero(b[pos] == a))
    return inter / (a.size + b.size - inter)


def estimate_floor(threshold: float, num_perm: int, sigmas: float = 5.0) -> float:
    """Below this estimated Jaccard a pair is not worth an exact check: a pair truly at
    `threshold` estimates that low with probability ~3e-7 (binomial, `sigmas` deviations)."""
    return threshold - sigmas * math.sqrt(threshold * (1.0 - threshold) / num_perm)
