"""Events: PLOVER-typed who-did-what-to-whom over one parsed Doc, with date, place and mode.

`extract_events(doc, ctx, mentions, places)` is the entry point (see `events.extract`).
"""

from newsevents.tasks.extractors.events.extract import extract_events

__all__ = ["extract_events"]
