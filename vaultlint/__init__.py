"""vaultlint: a linter and validator for Obsidian vaults."""

__version__ = "0.1.0"
