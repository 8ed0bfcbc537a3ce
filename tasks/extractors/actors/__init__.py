"""Actors: typed, country- and sector-coded canonical actors from the mentions of one parsed Doc.

`extract_mentions(doc, article_id, authors)` yields every actor mention of one article with the
evidence it gives; `aggregate_actors` folds a batch's mentions into one row per actor id.
"""

from newsevents.tasks.extractors.actors.aggregate import aggregate_actors
from newsevents.tasks.extractors.actors.extract import extract_mentions

__all__ = ["aggregate_actors", "extract_mentions"]
