"""What the vault-wide checks need to know of a note: small enough to cache and to send back
from a worker process, so no note is parsed twice and no AST crosses processes."""

from __future__ import annotations

from dataclasses import dataclass

from vaultlint.markdown.model import Heading, Link
from vaultlint.markdown.rewrite import LinkSource, table_row_links
from vaultlint.note import Note
from vaultlint.positions import LineIndex
from vaultlint.suppressions import Suppressions


@dataclass(frozen=True, slots=True)
class NoteAnchors:
    """What links into a note can point to: all the link check reads of a note it links to."""

    headings: list[Heading]
    heading_keys: list[str]  # each heading's text as links compare it
    block_ids: frozenset[str]  # casefolded, for `[[note#^id]]`


@dataclass(slots=True)
class NoteFacts:
    path: str
    lines: LineIndex  # to place the note's own diagnostics
    links: list[Link]  # body and frontmatter links, in order
    link_texts: list[str]  # each link as written, for the link fixes
    table_rows: frozenset[int]  # the links on a table row that a fix may give a `|`
    anchors: NoteAnchors  # for links into this note
    aliases: list[str]
    suppressions: Suppressions

    def source(self, i: int) -> LinkSource:
        """Link `i` as written, what rewriting it needs."""
        return LinkSource(self.link_texts[i], i in self.table_rows)


def facts_of(note: Note) -> NoteFacts:
    from vaultlint.rules.links import heading_key  # the rules import this module

    body = note.body
    text, lines, links = note.text, note.lines, note.links
    return NoteFacts(
        note.path,
        lines,
        links,
        [text[link.start : link.end] for link in links],
        table_row_links(text, lines, links),
        NoteAnchors(
            body.headings,
            [heading_key(h.text) for h in body.headings],
            frozenset(b.id.casefold() for b in body.block_ids),
        ),
        note.aliases,
        Suppressions(body.comments, note.lines),
    )
