"""Timestamps in notes: the forms they are written in and the times they hold."""

from vaultlint.timestamps.recognisers import (
    RECOGNISERS,
    PlainAnchor,
    Timestamp,
    find_timestamps,
    plain_timestamp,
    split_timestamps,
)

__all__ = [
    "RECOGNISERS",
    "PlainAnchor",
    "Timestamp",
    "find_timestamps",
    "plain_timestamp",
    "split_timestamps",
]
