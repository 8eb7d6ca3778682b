"""What the vault-wide checks need to know of a note: small enough to cache and to send back
from a worker process, so no note is parsed twice and no AST crosses processes."""

from __future__ import annotations

from dataclasses import dataclass

from vaultlint.markdown.model import Heading, Link
from vaultlint.markdown.rewrite import LinkSource, link_sources
from vaultlint.note import Note
from vaultlint.positions import LineIndex
from vaultlint.suppressions import Suppressions


@dataclass(slots=True)
class NoteFacts:
    path: str
    lines: LineIndex  # to place the note's own diagnostics
    links: list[Link]  # body and frontmatter links, in order
    link_sources: list[LinkSource]  # each link as written, for the link fixes
    headings: list[Heading]  # for links into this note
    heading_keys: list[str]  # each heading's text as links compare it
    block_ids: frozenset[str]  # casefolded, for `[[note#^id]]`
    aliases: list[str]
    suppressions: Suppressions


def facts_of(note: Note) -> NoteFacts:
    from vaultlint.rules.links import heading_key  # the rules import this module

    body = note.body
    return NoteFacts(
        note.path,
        note.lines,
        note.links,
        link_sources(note.text, note.lines, note.links),
        body.headings,
        [heading_key(h.text) for h in body.headings],
        frozenset(b.id.casefold() for b in body.block_ids),
        note.aliases,
        Suppressions(body.comments, note.lines),
    )
