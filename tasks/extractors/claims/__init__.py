"""Claims: every attributed statement in an article, direct or reported, with its speaker.

`extract_claims(doc, ctx, mentions)` is the entry point (see `claims.extract`).
"""

from newsevents.tasks.extractors.claims.extract import extract_claims

__all__ = ["extract_claims"]
