"""What the page inlines so it opens with no network: the Vega scripts and the world's outlines.

- Scripts: vega, vega-lite and vega-embed as one bundle from `vl-convert-python`, which vendors
  them (BSD-3-Clause). Bundling takes ~15 s the first time in a process, so the bundle is kept
  in `$NEWSEVENTS_CACHE_DIR` (default ~/.cache/newsevents, like the gazetteer), keyed by the
  package's version and the Vega-Lite version; later reports read it in milliseconds.
- Outlines: the country polygons `countryinfo` ships (MIT; johan/world.geo.json, itself from
  Natural Earth's public-domain 1:110m countries), coordinates rounded to 0.01 degree (~1 km,
  far below what a page-wide world map can show), ~250 KB of GeoJSON.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

import altair as alt

# The Vega-Lite version Altair writes specs for, as vl-convert names its bundled versions.
VEGALITE_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def cache_dir() -> Path:
    return Path(os.environ.get("NEWSEVENTS_CACHE_DIR") or Path.home() / ".cache" / "newsevents")


def _bundle_file() -> Path:
    stamp = repr((version("vl-convert-python"), VEGALITE_VERSION))
    return cache_dir() / f"vega-bundle-{hashlib.sha1(stamp.encode()).hexdigest()[:16]}.js"


@functools.cache
def vega_bundle() -> str:
    """vega + vega-lite + vega-embed as one script that sets window.vegaEmbed (cached on disk)."""
    path = _bundle_file()
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    import vl_convert

    bundle = vl_convert.javascript_bundle(vl_version=VEGALITE_VERSION)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # an unwritable cache only costs the next process the bundling time
    return bundle


def _rounded(coords: Any, digits: int) -> Any:
    if isinstance(coords, list):
        return [_rounded(c, digits) for c in coords]
    return round(coords, digits)


@functools.cache
def world_outlines(digits: int = 2) -> dict[str, Any]:
    """Every country's outline as one GeoJSON FeatureCollection (id: ISO3, properties.name)."""
    features = []
    data = resources.files("countryinfo") / "data"
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        geo = json.loads(entry.read_text(encoding="utf-8")).get("geoJSON") or {}
        for feature in geo.get("features", []):
            geometry = feature.get("geometry") or {}
            if geometry.get("type") not in ("Polygon", "MultiPolygon"):
                continue
            features.append(
                {
                    "type": "Feature",
                    "id": feature.get("id"),
                    "properties": {"name": (feature.get("properties") or {}).get("name")},
                    "geometry": {
                        "type": geometry["type"],
                        "coordinates": _rounded(geometry["coordinates"], digits),
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}
