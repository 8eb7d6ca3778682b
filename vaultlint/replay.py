"""A run's report kept for the same run again: `check` on a vault in exactly the state of an
earlier run, with the same arguments, prints what that run printed without making a single
diagnostic (as build tools replay the logs of a step they take from their cache).

The key is everything the printed report depends on: the run's fingerprint (version,
settings, the notes reported on, every file of the vault and the size and modification time
of every note: `Engine.plan`), every argument, the output format and colour as decided, the
working folder (paths are shown from it), the baseline file's content, and for colour the
environment variables and terminal size the colour library reads. Runs that write files
(`--fix`, `--diff`, `--write-baseline`) are never replayed."""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
from pathlib import Path

# What rich reads to choose its colours and layout.
_COLOUR_ENV = ("TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS")


def replay_key(
    args: argparse.Namespace, fingerprint: str | None, root: Path, output_format: str, colour: bool
) -> str | None:
    """The key of this run's report; None when it is not to be kept or replayed."""
    if fingerprint is None or args.fix or args.diff or args.write_baseline:
        return None
    digest = hashlib.blake2b(digest_size=16)
    for part in (fingerprint, repr(sorted(vars(args).items())), str(root), os.getcwd()):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(f"{output_format}\0{colour}\0".encode())
    if colour:
        seen = [os.environ.get(name) for name in _COLOUR_ENV]
        digest.update(repr((seen, tuple(shutil.get_terminal_size()))).encode())
    if args.baseline:
        try:
            digest.update(Path(args.baseline).read_bytes())
        except OSError:
            return None
    return digest.hexdigest()
