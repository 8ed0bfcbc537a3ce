"""Places: every place mention of an article, geocoded offline against a GeoNames index.

`extract_places(doc, ctx, mentions)` is the entry point; `focal_place` picks an article's main place.
"""

from newsevents.tasks.extractors.places.resolve import extract_places, focal_place

__all__ = ["extract_places", "focal_place"]
