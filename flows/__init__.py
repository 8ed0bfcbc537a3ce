"""Prefect flows and the `newsevents` command line."""
