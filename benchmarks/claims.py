"""Claim extraction measured on its own: accuracy on PolNeAR in-process, and speed on BBC.

    python benchmarks/claims.py score [--split train|dev] [--limit N] [--errors FILE]
    python benchmarks/claims.py speed [CORPUS]

`score` reads and cleans the split with the pipeline's own readers, parses each text once
(cached under .state/claims-cache, keyed by split and model), runs the actor mentions and
`extract_claims`, and scores with ../shared/eval/claims_polnear.py's own matching, so a rule
change is measured in seconds. The scorer's end-to-end run through `newsevents run` stays the
reference figure. `--errors` writes missed gold and unmatched claims, per article, for reading.

`speed` parses CORPUS once (bare `nlp.pipe`, timed), then times `extract_claims` over the
parsed Docs (mentions made beforehand, untimed) and reports words/second of each, wall and CPU,
and the claims stage's cost relative to the parse.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from spacy.tokens import DocBin

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(SHARED / "eval"))

from newsevents.tasks.config import load_config  # noqa: E402
from newsevents.tasks.extractors.actors.extract import extract_mentions  # noqa: E402
from newsevents.tasks.extractors.claims.extract import extract_claims  # noqa: E402
from newsevents.tasks.ingest.clean import clean_doc  # noqa: E402
from newsevents.tasks.ingest.readers import read_file  # noqa: E402
from newsevents.tasks.nlp.model import load_model  # noqa: E402
from newsevents.tasks.records import Article, ArticleContext  # noqa: E402
from newsevents.tasks.stages.plan import discover  # noqa: E402

CACHE = ROOT / ".state" / "claims-cache"


def read_articles(folder: Path, cfg, names: list[str] | None = None) -> list[tuple[str, Article]]:
    out = []
    for rel in names if names is not None else discover(folder, cfg):
        for raw in read_file(folder / rel, rel, cfg.input.max_file_bytes).docs:
            art = clean_doc(raw)
            if isinstance(art, Article):
                out.append((rel, art))
    return out


def parsed(key: str, texts: list[str], cfg):
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable))
    path = CACHE / f"{key}-{cfg.nlp.model}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, batch_size=cfg.nlp.batch_size))
    CACHE.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    return docs


def score(args) -> None:
    import claims_polnear as cp

    cfg = load_config()
    data = SHARED / "data" / "gold" / "polnear" / args.split
    gold, _ = cp.load_gold(data, False)
    names = sorted(gold)[: args.limit] if args.limit else sorted(gold)
    gold = {n: gold[n] for n in names}
    arts = read_articles(data / "text", cfg, names)
    docs = parsed(f"polnear-{args.split}-{len(names)}", [a.text for _, a in arts], cfg)
    preds: dict[str, list[dict]] = {n: [] for n in names}
    all_claims = {}
    t0 = time.perf_counter()
    for (rel, art), doc in zip(arts, docs, strict=True):
        mentions = [m for m, _ in extract_mentions(doc, art.article_id)]
        claims = extract_claims(doc, ArticleContext(art.article_id), mentions)
        all_claims[rel] = claims
        for c in claims:
            toks = cp.tokens(c.content)
            if toks:
                preds[rel].append({"content_tokens": toks, "speaker": c.speaker, "cue": c.cue})
    dt = time.perf_counter() - t0
    m = cp.score(gold, preds)
    for k, v in m.items():
        print(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}")
    print(f"extract seconds: {dt:.2f}")
    if args.errors:
        write_errors(Path(args.errors), gold, preds, all_claims, cp)
    if args.by_cue:
        print_by_cue(gold, preds, cp, args.by_cue)


def print_by_cue(gold, preds, cp, n: int) -> None:
    """Claims and matches per cue word: which cues cost precision."""
    from collections import Counter

    made, hit = Counter(), Counter()
    for name, golds in gold.items():
        ps = preds[name]
        matched = {i for i, _, _ in cp.greedy_match(ps, golds, cp.THRESHOLD)}
        for i, p in enumerate(ps):
            key = (p["cue"] or "-").lower().split()[-1] if (p["cue"] or "-").split() else "-"
            made[key] += 1
            hit[key] += i in matched
    rows = sorted(made, key=lambda k: made[k] - hit[k], reverse=True)[:n]
    for k in rows:
        print(f"  {k:20} claims {made[k]:5}  matched {hit[k]:5}  precision {hit[k] / made[k]:.2f}")


def write_errors(path: Path, gold, preds, all_claims, cp) -> None:
    lines = []
    for name, golds in gold.items():
        ps = preds[name]
        pairs = cp.greedy_match(ps, golds, cp.THRESHOLD)
        mp = {i for i, _, _ in pairs}
        mg = {j for _, j, _ in pairs}
        lines.append(f"=== {name}")
        for i, j, _f in pairs:
            ok = cp.speaker_correct(ps[i]["speaker"], golds[j]["source"])
            if not ok:
                lines.append(
                    f"  SPK  pred={ps[i]['speaker']!r} gold={golds[j]['source']!r} cue={ps[i]['cue']!r}"
                )
                lines.append(f"        {golds[j]['content'][:160]!r}")
        for j, g in enumerate(golds):
            if j not in mg:
                lines.append(f"  MISS src={g['source']!r} cue={g['cue']!r} :: {g['content'][:200]!r}")
        claims = all_claims[name]
        for i, _ in enumerate(ps):
            if i not in mp:
                c = claims[i]
                lines.append(f"  FP   [{c.kind}] spk={c.speaker!r} cue={c.cue!r} :: {c.content[:200]!r}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def speed(args) -> None:
    cfg = load_config()
    arts = [a for _, a in read_articles(args.corpus, cfg)]
    texts = [a.text[: cfg.nlp.max_chars] for a in arts]
    words = sum(len(t.split()) for t in texts)
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable))
    # Wall and CPU time both: the machine is shared, and CPU time is what the stage costs.
    w0, c0 = time.perf_counter(), time.process_time()
    docs = list(nlp.pipe(texts, batch_size=cfg.nlp.batch_size))
    parse_wall, parse_cpu = time.perf_counter() - w0, time.process_time() - c0
    ctxs = [ArticleContext(a.article_id) for a in arts]
    mentions = [[m for m, _ in extract_mentions(d, c.article_id)] for d, c in zip(docs, ctxs, strict=True)]
    w0, c0 = time.perf_counter(), time.process_time()
    n = 0
    for doc, ctx, ms in zip(docs, ctxs, mentions, strict=True):
        n += len(extract_claims(doc, ctx, ms))
    claims_wall, claims_cpu = time.perf_counter() - w0, time.process_time() - c0
    print(f"corpus: {args.corpus} ({len(texts)} articles, {words} words, {n} claims)")
    print(
        f"parse (nlp.pipe, 1 process): wall {parse_wall:.1f} s, {words / parse_wall:,.0f} words/s; ", end=""
    )
    print(f"cpu {parse_cpu:.1f} s, {words / parse_cpu:,.0f} words/s")
    print(
        f"claims (extract_claims):     wall {claims_wall:.2f} s, {words / claims_wall:,.0f} words/s; ", end=""
    )
    print(f"cpu {claims_cpu:.2f} s, {words / claims_cpu:,.0f} words/s")
    print(
        f"claims cost relative to the parse: {100 * claims_wall / parse_wall:.1f}% wall, "
        f"{100 * claims_cpu / parse_cpu:.1f}% cpu"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("score")
    s.add_argument("--split", default="train")
    s.add_argument("--limit", type=int)
    s.add_argument("--errors")
    s.add_argument("--by-cue", type=int, default=0, help="print the N cues with most unmatched claims")
    s.set_defaults(func=score)
    p = sub.add_parser("speed")
    p.add_argument("corpus", nargs="?", type=Path, default=SHARED / "data" / "corpora" / "bbc")
    p.set_defaults(func=speed)
    args = ap.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
