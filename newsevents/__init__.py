"""newsevents: folders of news articles -> Parquet datasets of events, actors, places, claims."""

__version__ = "0.1.0"
# Stamped on every derived row; bump when an extractor's output changes for the same input.
EXTRACTOR_VERSION = "0.2.0"
