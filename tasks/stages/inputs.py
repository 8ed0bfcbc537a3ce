"""The input folder, checked before anything reads it (only `os`: the command checks it before a
Prefect server starts, and the plan stage again when the run starts)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class InputUnavailable(RuntimeError):
    """The input folder is missing, not a folder, or cannot be listed: the run fails, loudly,
    rather than finding "0 files" in an inbox that was not mounted."""


def check_input(input_dir: Path) -> Path:
    """`input_dir`, once it is known to be a folder this process can list.

    An error that may pass (a network mount timing out: EIO, ETIMEDOUT, ESTALE) is the cause of
    the InputUnavailable raised, so the task's retry policy tries again; a missing folder, a
    file or a permission error fails at once.
    """
    try:
        st = os.stat(input_dir)
        if not stat.S_ISDIR(st.st_mode):
            raise InputUnavailable(f"input {input_dir} is a file, not a folder")
        with os.scandir(input_dir) as entries:
            next(entries, None)
    except FileNotFoundError:
        raise InputUnavailable(
            f"input folder {input_dir} does not exist (not mounted, or a wrong path?)"
        ) from None
    except OSError as exc:
        raise InputUnavailable(f"input folder {input_dir} cannot be read: {exc.strerror or exc}") from exc
    return input_dir
