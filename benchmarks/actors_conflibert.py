"""Share of ConfliBERT gold source/target actor spans that an `actor_mentions` row overlaps.

    python benchmarks/actors_conflibert.py [--data test.txt] [--limit N] [--out OUT_DIR]

The gold (eventdata/ConfliBERT, `cameo_ner`) is one token per line with BIO tags S (source),
T (target) and R (both). Each sentence is detokenised into readable text (the pipeline should
see prose, not "al - Qaeda ’ s"), written as one JSONL record, and the pipeline runs once as a
black box (`$EVAL_RUN_CMD IN --out OUT`, default this checkout's `newsevents run`). A gold span
counts as found when any mention of the same article overlaps it by at least one character.
Prints the share for S and T spans together (the figure the issue asks for), then per tag.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "gold" / "conflibert" / "cameo_ner" / "test.txt"

# Tokens glued to the previous one, and tokens the next one is glued to.
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "’s", "n't", "'", "’"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


@dataclass(slots=True)
class GoldSentence:
    sid: str
    text: str
    spans: list[tuple[str, int, int]]  # (tag, start, end) in `text`


def read_bio(path: Path) -> list[list[tuple[str, str]]]:
    sents, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        token, _, tag = line.rpartition(" ")
        cur.append((token, tag))
    if cur:
        sents.append(cur)
    return sents


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Tokens -> text and each token's offsets: punctuation glued, "al - Qaeda" -> "al-Qaeda"."""
    out, offsets = "", []
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        glue = (
            not out
            or tok in _NO_SPACE_BEFORE
            or prev in _NO_SPACE_AFTER
            or (prev in {"'", "’"} and tok in {"s", "S"})
            or tok == "-"
            or prev == "-"
            or (prev == "," and tok.isdigit() and len(tok) == 3 and i > 1 and tokens[i - 2].isdigit())
        )
        if out and not glue:
            out += " "
        offsets.append((len(out), len(out) + len(tok)))
        out += tok
    return out, offsets


def gold_sentences(path: Path, limit: int | None = None) -> list[GoldSentence]:
    out = []
    for n, sent in enumerate(read_bio(path)):
        text, offsets = detokenize([t for t, _ in sent])
        spans, i = [], 0
        while i < len(sent):
            tag = sent[i][1]
            if tag.startswith("B-"):
                j = i + 1
                while j < len(sent) and sent[j][1] == "I-" + tag[2:]:
                    j += 1
                spans.append((tag[2:], offsets[i][0], offsets[j - 1][1]))
                i = j
            else:
                i += 1
        out.append(GoldSentence(f"cb-{n:05d}", text, spans))
    return out[:limit] if limit else out


def run_pipeline(input_dir: Path, out_dir: Path) -> None:
    default = f"{Path(sys.executable).with_name('newsevents')} run"
    cmd = [*shlex.split(os.environ.get("EVAL_RUN_CMD", default)), str(input_dir), "--out", str(out_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"pipeline failed ({proc.returncode}): {proc.stderr[-3000:]}")


def _kept(row) -> str:
    """The article whose mentions a row's text has: itself, or the copy it duplicates."""
    return row.duplicate_of if isinstance(row.duplicate_of, str) else row.article_id


def score(sents: list[GoldSentence], out_dir: Path) -> dict[str, tuple[int, int]]:
    """Per tag: (gold spans overlapped by a mention, gold spans)."""
    arts = pd.read_parquet(out_dir / "articles", columns=["article_id", "source_id", "text", "duplicate_of"])
    mentions = pd.read_parquet(out_dir / "actor_mentions", columns=["article_id", "start", "end"])
    # A duplicate sentence is extracted once: score it on its kept copy (same text, same offsets).
    by_source = {r.source_id: (_kept(r), r.text) for r in arts.itertuples()}
    spans_of: dict[str, list[tuple[int, int]]] = {}
    for m in mentions.itertuples():
        spans_of.setdefault(m.article_id, []).append((m.start, m.end))
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for s in sents:
        aid, text = by_source.get(s.sid, (None, None))
        # The cleaner may only trim or respace; shift gold offsets when it did.
        shift = text.find(s.text) if text is not None and text != s.text else 0
        for tag, start, end in s.spans:
            total[tag] += 1
            if aid is None or shift < 0:
                continue
            a, b = start + shift, end + shift
            if any(ms < b and a < me for ms, me in spans_of.get(aid, ())):
                found[tag] += 1
    return {tag: (found[tag], total[tag]) for tag in sorted(total)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", type=Path, default=None, help="score this finished run instead of running")
    ap.add_argument("--misses", type=int, default=0, help="print this many missed gold spans")
    args = ap.parse_args(argv)
    sents = gold_sentences(args.data, args.limit)
    out_dir = args.out
    if out_dir is None:
        tmp = Path(tempfile.mkdtemp(prefix="actors_conflibert_"))
        (tmp / "in").mkdir()
        with open(tmp / "in" / "gold.jsonl", "w", encoding="utf-8") as fh:
            for s in sents:
                fh.write(json.dumps({"id": s.sid, "text": s.text}, ensure_ascii=False) + "\n")
        out_dir = tmp / "out"
        run_pipeline(tmp / "in", out_dir)
    result = score(sents, out_dir)
    st_found = sum(result.get(t, (0, 0))[0] for t in ("S", "T"))
    st_total = sum(result.get(t, (0, 0))[1] for t in ("S", "T"))
    print(f"conflibert sentences: {len(sents)}, run: {out_dir}")
    print(f"actor overlap S+T: {st_found / st_total:.4f} ({st_found}/{st_total})")
    for tag, (f, n) in result.items():
        print(f"actor overlap {tag}: {f / n:.4f} ({f}/{n})")
    if args.misses:
        print_misses(sents, out_dir, args.misses)


def print_misses(sents: list[GoldSentence], out_dir: Path, n: int) -> None:
    arts = pd.read_parquet(out_dir / "articles", columns=["article_id", "source_id", "duplicate_of"])
    mentions = pd.read_parquet(out_dir / "actor_mentions", columns=["article_id", "start", "end"])
    aid_of = {r.source_id: _kept(r) for r in arts.itertuples()}
    spans_of: dict[str, list[tuple[int, int]]] = {}
    for m in mentions.itertuples():
        spans_of.setdefault(m.article_id, []).append((m.start, m.end))
    shown = 0
    for s in sents:
        for tag, a, b in s.spans:
            if tag == "R" or any(ms < b and a < me for ms, me in spans_of.get(aid_of.get(s.sid), ())):
                continue
            print(f"  miss {tag}: {s.text[a:b]!r}  <- {s.text[:140]!r}")
            shown += 1
            if shown >= n:
                return


if __name__ == "__main__":
    main()
