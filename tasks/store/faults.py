"""Fault injection for the crash-safety tests: kill the whole run at a named point.

`NEWSEVENTS_KILL_AT=<point>` makes the process group receive SIGKILL when execution reaches that
point, exactly like `kill -9` of the job (workers and the local Prefect server included). Unset,
a point costs one dictionary lookup. Points:

- after-read: a read batch is staged;
- during-extract: an extraction shard has staged part of its outputs;
- commit-staged: every final file is written under its temporary name, no journal yet;
- commit-half-moved: the journal is written and half of the renames are done;
- commit-half-deleted: every rename is done and half of the files it supersedes are deleted
  (a reprocess or a compaction).
"""

from __future__ import annotations

import os
import signal

ENV = "NEWSEVENTS_KILL_AT"


def fault_point(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.killpg(os.getpgid(0), signal.SIGKILL)
