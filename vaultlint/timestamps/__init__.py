"""Timestamps in notes: the forms they are written in and the times they hold."""

from vaultlint.timestamps.recognisers import RECOGNISERS, Timestamp, find_timestamps

__all__ = ["RECOGNISERS", "Timestamp", "find_timestamps"]
