"""What each chart and table of the report shows, computed from the dataset frames.

Pure functions over pandas frames with the documented columns (docs/datasets.md); no I/O, no
plotting. Event views count facts: a row is a fact unless its `aux_mode` says the text does
not present it as one (`negated`, `hypothetical`, `future`; ../shared/eval/CONTRACT.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from newsevents.tasks.report.load import Datasets

# The 16 PLOVER types, cooperative to conflictual: the colour order of every event chart.
PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
NON_FACTUAL = frozenset({"negated", "hypothetical", "future"})
# The per-day chart shows this many days up to the latest publication date unless --since says.
WINDOW_DAYS = 90
PUBLICATION = "publication"
# Unresolved speakers that are only a pronoun say nothing about who is quoted.
_PRONOUN_ATTRIBUTION = "pronoun"


def share(part: int, whole: int) -> float | None:
    """part/whole, or None when there is nothing to share (shown as "n/a", never as 0%)."""
    return part / whole if whole else None


# ---------------------------------------------------------------- filters


def is_fact(events: pd.DataFrame) -> pd.Series:
    return ~events["aux_mode"].isin(NON_FACTUAL)


def since_filter(data: Datasets, since: dt.date | None) -> Datasets:
    """Events dated on or after `since`; claims of articles published then; runs started then.

    Undated events and articles with no publication date are left out once a date is asked for.
    The batch figures follow the runs (articles, rejects and history of runs since that day).
    """
    if since is None:
        return data
    dated = data.events["event_date"].map(lambda d: d is not None and d >= since)
    events = data.events[dated.astype(bool)]  # an empty map result is not boolean
    published = pd.to_datetime(data.articles["published_at"], utc=True)
    recent = set(data.articles.loc[published >= pd.Timestamp(since, tz="UTC"), "article_id"])
    claims = data.claims[data.claims["article_id"].isin(recent)]
    stamp = since.strftime("%Y%m%d")
    articles = data.articles[data.articles["run_id"].fillna("") >= stamp]
    rejects = data.rejects[data.rejects["run_id"].fillna("") >= stamp]
    history = [r for r in data.history if str(r["run_id"]) >= stamp]
    return Datasets(
        articles=articles,
        events=events,
        actors=data.actors,
        claims=claims,
        rejects=rejects,
        ledger=data.ledger,
        history=history,
    )


# ---------------------------------------------------------------- events


def event_figures(events: pd.DataFrame) -> dict[str, Any]:
    """The headline numbers of the events section (shares over the fact rows)."""
    facts = events[is_fact(events)]
    n = len(facts)
    return {
        "n_events": len(events),
        "n_facts": n,
        "n_non_facts": len(events) - n,
        "n_undated": int(facts["event_date"].isna().sum()),
        "publication_share": share(int((facts["date_precision"] == PUBLICATION).sum()), n),
        "place_share": share(int(facts["place_text"].notna().sum()), n),
        "located_share": share(int((facts["latitude"].notna() & facts["longitude"].notna()).sum()), n),
    }


@dataclass(frozen=True, slots=True)
class Window:
    """The dates the per-day chart spans, the bar width, and the dated fact events left out."""

    start: dt.date | None
    end: dt.date | None
    unit: str  # day, week, month or year: the bars of a long window are wider than a day
    n_before: int = 0
    n_after: int = 0


def day_window(events: pd.DataFrame, articles: pd.DataFrame, since: dt.date | None) -> Window:
    """The last WINDOW_DAYS days up to the latest publication date, or from `since`.

    When no article has a publication date (a corpus without dates), the window spans every
    date the texts give. Days are binned by week, month or year once it is longer than 180
    days, 2 years or 20 years, so the bars stay readable.
    """
    dated = [d for d in events.loc[is_fact(events), "event_date"] if d is not None]
    published = pd.to_datetime(articles["published_at"], utc=True).dropna()
    if published.empty and not dated:
        return Window(since, since, "day")
    end = published.max().date() if not published.empty else max(dated)
    if since is not None:
        start, end = since, max(end, since)
    elif not published.empty:
        start = end - dt.timedelta(days=WINDOW_DAYS - 1)
    else:
        start = min(dated)
    span = (end - start).days
    unit = "day" if span <= 180 else "week" if span <= 730 else "month" if span <= 7300 else "year"
    return Window(start, end, unit, sum(d < start for d in dated), sum(d > end for d in dated))


def _bin(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return day.replace(month=1, day=1)
    return day


def events_per_day(events: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Events in the window per day (or the window's unit), type and fact flag:
    day (ISO date of the bin's first day), event_type, fact, n."""
    start, end = window.start, window.end
    inside = events["event_date"].map(lambda d: d is not None and start is not None and start <= d <= end)
    dated = events[inside.astype(bool)]
    if dated.empty:
        return pd.DataFrame({"day": [], "event_type": [], "fact": [], "n": []})
    frame = pd.DataFrame(
        {
            "day": dated["event_date"].map(lambda d: _bin(d, window.unit).isoformat()),
            "event_type": dated["event_type"],
            "fact": is_fact(dated),
        }
    )
    out = frame.groupby(["day", "event_type", "fact"]).size().rename("n").reset_index()
    return out.sort_values(["day", "event_type", "fact"], ignore_index=True)


def type_totals(events: pd.DataFrame) -> pd.DataFrame:
    """Per PLOVER type: facts, all mentions, and facts dated only by publication."""
    fact = is_fact(events)
    frame = pd.DataFrame(
        {
            "event_type": events["event_type"],
            "facts": fact.astype(int),
            "all": 1,
            "publication_dated": (fact & (events["date_precision"] == PUBLICATION)).astype(int),
        }
    )
    out = frame.groupby("event_type", as_index=False)[["facts", "all", "publication_dated"]].sum()
    return out.sort_values(["facts", "all", "event_type"], ascending=[False, False, True], ignore_index=True)


def event_places(events: pd.DataFrame, limit: int = 400) -> pd.DataFrame:
    """Located fact events per point: place, country, latitude, longitude, n, top_type, types.

    One point per coordinate pair, coloured by its most frequent type; `types` spells out the
    whole breakdown for the tooltip. The `limit` busiest points are kept (a file stays small).
    """
    located = events[is_fact(events) & events["latitude"].notna() & events["longitude"].notna()]
    cols = ["place", "country", "latitude", "longitude", "n", "top_type", "types"]
    if located.empty:
        return pd.DataFrame({c: [] for c in cols})
    frame = pd.DataFrame(
        {
            "latitude": located["latitude"].astype(float).round(4),
            "longitude": located["longitude"].astype(float).round(4),
            "event_type": located["event_type"],
            "place_text": located["place_text"],
            "country": located["country"],
        }
    )
    point = ["latitude", "longitude"]
    by_type = frame.groupby([*point, "event_type"]).size().rename("k").reset_index()
    by_type["rank"] = by_type["event_type"].map(_type_rank)
    by_type = by_type.sort_values([*point, "k", "rank"], ascending=[True, True, False, True])
    by_type["label"] = by_type["event_type"] + " " + by_type["k"].astype(str)
    grouped = by_type.groupby(point, sort=False)
    out = pd.DataFrame(
        {
            "n": grouped["k"].sum(),
            "top_type": grouped["event_type"].first(),
            "types": grouped["label"].agg(", ".join),
        }
    )
    names = (
        frame.dropna(subset=["place_text"]).groupby([*point, "place_text"]).size().rename("k").reset_index()
    )
    names = names.sort_values([*point, "k", "place_text"], ascending=[True, True, False, True])
    out = out.join(names.drop_duplicates(point).set_index(point)["place_text"].rename("place"))
    out = out.join(frame.groupby(point)["country"].first()).reset_index()
    fallback = out["latitude"].map("{:.2f}".format) + ", " + out["longitude"].map("{:.2f}".format)
    out["place"] = out["place"].where(out["place"].notna(), fallback)
    out = out.sort_values(["n", "place"], ascending=[False, True])
    return out.head(limit).reset_index(drop=True)[cols]


def _type_rank(event_type: str) -> int:
    return PLOVER_TYPES.index(event_type) if event_type in PLOVER_TYPES else len(PLOVER_TYPES)


def event_types(values: Any) -> list[str]:
    """PLOVER order first, then any type the lexicon gains later (so colours stay stable)."""
    seen = set(values)
    return list(PLOVER_TYPES) + sorted(t for t in seen if t not in PLOVER_TYPES and t is not None)


# ---------------------------------------------------------------- actors


def _names(actors: pd.DataFrame) -> dict[str, str]:
    return dict(zip(actors["actor_id"].tolist(), actors["name"].tolist(), strict=True))


def actor_pairs(events: pd.DataFrame, actors: pd.DataFrame, limit: int = 15) -> pd.DataFrame:
    """The most active source -> target pairs among fact events with both actors resolved.

    Long format for a stacked bar: pair, source, target, event_type, n, total (the pair's count).
    """
    cols = ["pair", "source", "target", "event_type", "n", "total"]
    both = events[is_fact(events) & events["source_actor_id"].notna() & events["target_actor_id"].notna()]
    if both.empty:
        return pd.DataFrame({c: [] for c in cols})
    names = _names(actors)
    key = ["source_actor_id", "target_actor_id"]
    counts = both.groupby([*key, "event_type"]).size().rename("n").reset_index()
    totals = counts.groupby(key)["n"].sum().rename("total").reset_index()
    totals = totals.sort_values(["total", *key], ascending=[False, True, True])
    out = counts.merge(totals.head(limit), on=key)
    for side in ("source", "target"):
        out[side] = out[f"{side}_actor_id"].map(names).fillna(out[f"{side}_actor_id"])
    out["pair"] = out["source"] + " → " + out["target"]
    out = out.sort_values(["total", "pair", "n"], ascending=[False, True, False], ignore_index=True)
    return out[cols]


def pair_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs of `actor_pairs`, one row each: source, target, total, types ("ASSAULT 3, ...")."""
    rows = [
        {
            "source": group["source"].iloc[0],
            "target": group["target"].iloc[0],
            "total": int(group["n"].sum()),
            "types": ", ".join(f"{t} {n}" for t, n in zip(group["event_type"], group["n"], strict=True)),
        }
        for _, group in pairs.groupby("pair", sort=False)
    ]
    return pd.DataFrame(rows, columns=["source", "target", "total", "types"])


def top_actors(events: pd.DataFrame, actors: pd.DataFrame, limit: int = 20) -> pd.DataFrame:
    """The actors in most fact events (as source or target), with country, sector and mentions."""
    cols = ["name", "actor_type", "country", "sector", "as_source", "as_target", "n_events", "n_mentions"]
    facts = events[is_fact(events)]
    source = facts["source_actor_id"].dropna().value_counts().rename("as_source")
    target = facts["target_actor_id"].dropna().value_counts().rename("as_target")
    table = actors.set_index("actor_id").join(source, how="left").join(target, how="left")
    table[["as_source", "as_target"]] = table[["as_source", "as_target"]].fillna(0).astype(int)
    table["n_events"] = table["as_source"] + table["as_target"]
    table["n_mentions"] = table["n_mentions"].fillna(0).astype(int)
    table = table[(table["n_events"] > 0) | (table["n_mentions"] > 0)]
    table = table.sort_values(["n_events", "n_mentions", "name"], ascending=[False, False, True])
    return table.head(limit).reset_index(drop=True)[cols]


# ---------------------------------------------------------------- claims


def speaker_names(claims: pd.DataFrame, actors: pd.DataFrame) -> pd.Series:
    """Who is quoted: the resolved actor's name, else the speaker as written (None when the
    claim is unattributed or its speaker is an unresolved pronoun such as "he")."""
    names = _names(actors)
    pronoun = claims["attribution"] == _PRONOUN_ATTRIBUTION
    written = claims["speaker"].where(claims["speaker"].notna() & ~pronoun)
    resolved = claims["speaker_actor_id"].map(names)
    return resolved.where(resolved.notna(), written)


def top_speakers(claims: pd.DataFrame, actors: pd.DataFrame, limit: int = 15) -> pd.DataFrame:
    """The most quoted speakers, by kind (direct, indirect, mixed): speaker, kind, n, total."""
    cols = ["speaker", "kind", "n", "total"]
    frame = pd.DataFrame({"speaker": speaker_names(claims, actors), "kind": claims["kind"]}).dropna()
    if frame.empty:
        return pd.DataFrame({c: [] for c in cols})
    counts = frame.groupby(["speaker", "kind"]).size().rename("n").reset_index()
    totals = counts.groupby("speaker")["n"].sum().rename("total").reset_index()
    totals = totals.sort_values(["total", "speaker"], ascending=[False, True]).head(limit)
    out = counts.merge(totals, on="speaker")
    out = out.sort_values(["total", "speaker", "kind"], ascending=[False, True, True], ignore_index=True)
    return out[cols]


def speaker_table(speakers: pd.DataFrame) -> pd.DataFrame:
    """The speakers of `top_speakers`, one row each: speaker, direct, indirect, mixed, total."""
    kinds = ["direct", "indirect", "mixed"]
    wide = speakers.pivot_table(index="speaker", columns="kind", values="n", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=kinds, fill_value=0).reset_index()
    wide["total"] = wide[kinds].sum(axis=1)
    wide = wide.sort_values(["total", "speaker"], ascending=[False, True], ignore_index=True)
    return wide[["speaker", *kinds, "total"]].rename_axis(columns=None)


def claim_kinds(claims: pd.DataFrame) -> pd.DataFrame:
    """Direct quotes against reported speech: kind, n, share."""
    counts = claims["kind"].value_counts()
    total = int(counts.sum())
    known = ["direct", "indirect", "mixed"]
    order = [*known, *sorted(k for k in counts.index if k not in known)]
    n = [int(counts.get(k, 0)) for k in order]
    rows = [{"kind": k, "n": c, "share": share(c, total)} for k, c in zip(order, n, strict=True)]
    return pd.DataFrame(rows, columns=["kind", "n", "share"])


# ---------------------------------------------------------------- links back to the article


def article_links(articles: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """Per article: title, published (date), path (as read, with the record id) and href.

    The href is the article's URL when it has one, else the input file it was read from (the
    ledger keeps each file's absolute path), so every sampled row opens its source.
    """
    files = dict(zip(ledger["source_path"], ledger["input_path"], strict=True))
    rows = []
    for a in articles.itertuples(index=False):
        path = a.source_path + (f"#{a.source_id}" if isinstance(a.source_id, str) and a.source_id else "")
        local = files.get(a.source_path)
        href = a.url if isinstance(a.url, str) and a.url else (Path(local).as_uri() if local else None)
        published = a.published_at.date().isoformat() if pd.notna(a.published_at) else None
        rows.append(
            {
                "article_id": a.article_id,
                "title": a.title if isinstance(a.title, str) and a.title else a.source_path,
                "published": published,
                "path": path,
                "href": href,
            }
        )
    return pd.DataFrame(rows, columns=["article_id", "title", "published", "path", "href"])


def _newest_first(frame: pd.DataFrame, links: pd.DataFrame, per_article: int, limit: int) -> pd.DataFrame:
    """Rows of the most recently published articles first (undated last), a few per article,
    with their article's title, date, path and link."""
    out = frame.merge(links, on="article_id", how="left")
    out["_published"] = out["published"].fillna("")
    out = out.sort_values(["_published", "article_id"], ascending=[False, True], kind="stable")
    out = out.groupby("article_id", sort=False).head(per_article)
    return out.head(limit).drop(columns="_published").reset_index(drop=True)


def recent_claims(
    claims: pd.DataFrame, actors: pd.DataFrame, links: pd.DataFrame, limit: int = 20, max_chars: int = 240
) -> pd.DataFrame:
    """A sample of the newest claims (two per article at most) with their article's title and link."""
    sample = _newest_first(claims, links, per_article=2, limit=limit)
    sample["speaker"] = speaker_names(sample, actors).fillna("(unattributed)")
    sample["content"] = sample["content"].map(lambda t: _clip(t, max_chars))
    return sample


def recent_events(
    events: pd.DataFrame, actors: pd.DataFrame, links: pd.DataFrame, limit: int = 15
) -> pd.DataFrame:
    """A sample of the newest fact events (two per article at most) with their article's link;
    `source` and `target` are the resolved actors' names, else the phrases as written."""
    sample = _newest_first(events[is_fact(events)], links, per_article=2, limit=limit)
    names = _names(actors)
    for side in ("source", "target"):
        resolved = sample[f"{side}_actor_id"].map(names)
        sample[side] = resolved.where(resolved.notna(), sample[f"{side}_text"])
    sample["event_date"] = sample["event_date"].map(
        lambda d: d.isoformat() if isinstance(d, dt.date) else None
    )
    sample["place"] = sample["place_text"]
    return sample


def _clip(text: Any, max_chars: int) -> str:
    text = " ".join(text.split()) if isinstance(text, str) else ""
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


# ---------------------------------------------------------------- the batch


def reject_reasons(rejects: pd.DataFrame) -> pd.DataFrame:
    counts = rejects["reason"].value_counts()
    out = pd.DataFrame({"reason": counts.index.astype(str), "n": counts.to_numpy(dtype=int)})
    return out.sort_values(["n", "reason"], ascending=[False, True], ignore_index=True)


def languages(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles read per detected language (`unknown` when the detector was unsure)."""
    counts = articles["language"].fillna("unknown").value_counts()
    out = pd.DataFrame({"language": counts.index.astype(str), "n": counts.to_numpy(dtype=int)})
    return out.sort_values(["n", "language"], ascending=[False, True], ignore_index=True)


def run_started(run_id: str) -> str | None:
    """The run's start (UTC, ISO) from its id (`YYYYmmddTHHMMSSZ-xxxxxx`), None if not one."""
    try:
        return dt.datetime.strptime(run_id[:16], "%Y%m%dT%H%M%SZ").strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


def run_table(history: list[dict[str, Any]], articles: pd.DataFrame, rejects: pd.DataFrame) -> pd.DataFrame:
    """One row per run, oldest first: kind, articles, duplicates, rejects, extracted, seconds.

    A run's history entry gives its figures; runs committed before the history existed are
    rebuilt from the `run_id` of their rows (articles stored, duplicates, rejects; no times).
    """
    cols = ["run_id", "started", "kind", "n_articles", "n_duplicates", "n_rejected", "n_extracted", "seconds"]
    stored = pd.DataFrame(
        {
            "run_id": articles["run_id"],
            "n_articles": 1,
            "n_duplicates": articles["duplicate_of"].notna().astype(int),
            "n_rejected": 0,
        }
    )
    rejected = pd.DataFrame(
        {"run_id": rejects["run_id"], "n_articles": 0, "n_duplicates": 0, "n_rejected": 1}
    )
    derived = pd.concat([stored, rejected]).groupby("run_id").sum()
    rows = {
        str(run_id): {"run_id": str(run_id), "kind": "run", **{k: int(v) for k, v in counts.items()}}
        for run_id, counts in derived.iterrows()
    }
    for record in history:
        rows[str(record["run_id"])] = {
            "run_id": str(record["run_id"]),
            "kind": record.get("kind", "run"),
            "n_articles": int(record.get("n_articles", 0)),
            "n_duplicates": int(record.get("n_duplicates", 0)),
            "n_rejected": int(record.get("n_rejected", 0)),
            "n_extracted": int(record.get("n_extracted", 0)),
            "seconds": _total_seconds(record),
        }
    out = pd.DataFrame(sorted(rows.values(), key=lambda r: r["run_id"]), columns=cols)
    out["started"] = out["run_id"].map(run_started)
    return out


def _total_seconds(record: dict[str, Any]) -> float | None:
    stages = record.get("stage_seconds") or {}
    return round(sum(float(v) for v in stages.values()), 3) if stages else None


def run_trend(runs: pd.DataFrame, last: int = 30) -> pd.DataFrame:
    """The last runs in long format for one chart: run_id, started, measure, value."""
    recent = runs.tail(last)
    measures = {"n_articles": "articles read", "n_duplicates": "duplicates", "n_rejected": "rejected"}
    long = recent.melt(id_vars=["run_id", "started"], value_vars=list(measures), var_name="measure")
    long["measure"] = long["measure"].map(measures)
    return long.reset_index(drop=True)


STAGE_ORDER = ("plan", "read", "dedup", "reshard", "extract", "commit")


def stage_times(record: dict[str, Any] | None) -> pd.DataFrame:
    """Seconds per stage of one run, in pipeline order (stages added later go last)."""
    stages = (record or {}).get("stage_seconds") or {}
    names = sorted(stages, key=lambda s: (STAGE_ORDER.index(s) if s in STAGE_ORDER else len(STAGE_ORDER), s))
    return pd.DataFrame({"stage": names, "seconds": [float(stages[n]) for n in names]})


def batch_figures(runs: pd.DataFrame, record: dict[str, Any] | None) -> dict[str, Any]:
    """The latest run's headline numbers: from its history entry when it has one."""
    if runs.empty:
        return {"run_id": None}
    last = runs.iloc[-1].to_dict()
    if record is not None and record.get("run_id") == last["run_id"]:
        last["n_files"] = record.get("n_files")
        last["n_unchanged"] = record.get("n_unchanged")
        last["warnings"] = list(record.get("warnings", []))
    return last
