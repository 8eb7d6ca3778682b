"""Running code under a time limit that holds even when the code is stuck inside C.

A regular expression that backtracks holds the GIL until it is done, so neither a thread nor
a signal handler can stop it. `within` runs the code in a forked child process instead and
kills the child when the limit passes: a regression fails its test instead of hanging the
suite. Where `fork` is not available the code runs in this process, and only the time it took
is checked afterwards.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

T = TypeVar("T")


def within(seconds: float, work: Callable[[], T]) -> tuple[T, float]:
    """`work()`'s result and the seconds it took; the test fails if it takes longer than
    `seconds` or raises."""
    if "fork" not in multiprocessing.get_all_start_methods():
        started = time.perf_counter()
        result = work()
        took = time.perf_counter() - started
        assert took < seconds, f"took {took:.1f} s, more than {seconds} s"
        return result, took
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        started = time.perf_counter()
        try:
            outcome: tuple[str, Any] = ("ok", work())
        except BaseException:
            outcome = ("raised", traceback.format_exc())
        send.send((*outcome, time.perf_counter() - started))

    process = context.Process(target=child)  # not a daemon: the code may start processes
    process.start()
    send.close()
    try:
        if not receive.poll(seconds):
            pytest.fail(f"still running after {seconds} s")
        kind, value, took = receive.recv()
    except EOFError:
        pytest.fail(f"the child process died (exit code {process.exitcode})")
    finally:
        if process.is_alive():
            process.kill()
        process.join()
    if kind == "raised":
        pytest.fail(f"raised:\n{value}")
    return value, took
