"""Reading a note's frontmatter: the YAML block, what it loads to, and where each key is.

YAML is loaded by python-frontmatter's YAML handler with a safe loader of ours that resolves plain
scalars the way Obsidian does (YAML 1.2 core schema plus dates, as js-yaml's default schema):
`yes`, `on` and `12:34` stay text. The loader hands back the composed node tree too, so every
key, value and list item keeps its offsets in the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, cast

import yaml
from frontmatter.default_handlers import SafeLoader, YAMLHandler

MAX_FRONTMATTER = 1 << 20  # characters of YAML read at most; larger blocks are not parsed
MAX_NODES = 100_000  # YAML nodes after alias expansion (bounds an alias bomb)

_OPEN = re.compile(r"---[ \t]*\n")
_CLOSE = re.compile(r"^---[ \t]*$", re.M)
# A first line that reads as a YAML key: an unclosed block that starts so was meant as properties.
_LOOKS_LIKE_KEY = re.compile(r"[ \t]*[^\s#:-][^\n:]*:(?:[ \t]|$)")
_HANDLER = YAMLHandler()
# Frontmatter that is only `key: text` lines, as generators write it (`title: ...`, `videoId: ...`):
# `_simple_properties` reads it without YAML when every line is certain to load as text.
_SIMPLE_BLOCK = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_-]{0,63}: [^\n]+\n)+")
_SIMPLE_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*): ([^\n]+)\n")
# What a plain YAML scalar may not start with: indicators and white space.
_NOT_FIRST = frozenset(" -?:,[]{}#&*!|>'\"%@`")
# Obsidian's default properties that hold lists; a single value there is VL204's to report.
LIST_PROPERTIES = ("tags", "aliases", "cssclasses")


class _ObsidianLoader(SafeLoader):  # type: ignore[misc, valid-type]
    """A safe loader with YAML 1.2 core scalars; returns (data, root node).

    Construction copies the keys of a merge (`<<: *defaults`) into the mapping's node; the
    node keeps its pairs as written in `written_pairs`, so positions and duplicates stay true.
    """

    def construct_document(self, node: yaml.Node) -> tuple[Any, yaml.Node]:
        stack, seen = [node], set()
        while stack:
            current = stack.pop()
            if id(current) in seen or isinstance(current, yaml.ScalarNode):
                continue
            seen.add(id(current))
            if isinstance(current, yaml.MappingNode):
                current.written_pairs = list(current.value)  # type: ignore[attr-defined]
                stack.extend(v for pair in current.value for v in pair)
            else:
                stack.extend(current.value)
        return super().construct_document(node), node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
        """Every key becomes text, as in the JavaScript object Obsidian reads: `1:` and `true:`
        are two properties, "1" and "true" (in a Python dict they would be one: 1 == True)."""
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    "found unhashable key", key_node.start_mark,
                )  # fmt: skip
            mapping[_key_text(key)] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value = str(self.construct_scalar(node))
        if value[1:2] in ("o", "x"):
            return int(value, 0)
        return int(value, 10)  # `0755` is 755, as in YAML 1.2

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # `2024-02-30`: not a date, so text
            return self.construct_scalar(node)


_ObsidianLoader.add_constructor("tag:yaml.org,2002:int", _ObsidianLoader.construct_yaml_int)
_ObsidianLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _ObsidianLoader.construct_yaml_timestamp
)
_ObsidianLoader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (
        "tag:yaml.org,2002:timestamp",
        r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}"
        r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
        r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$",
        "0123456789",
    ),
    ("tag:yaml.org,2002:merge", r"^<<$", "<"),
):
    _ObsidianLoader.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


def _key_text(key: Any) -> str:
    """A key as JavaScript turns it into text: `true`, `null`, `1.5`, `2024-01-01`."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, dt.date):
        return key.isoformat()
    return str(key)


@dataclass(slots=True)
class Span:
    start: int
    end: int


@dataclass(slots=True)
class Property:
    """A top-level key: its name as loaded, and where its key, value and list items are."""

    name: str
    key: Span
    value: Span
    items: list[Span] = field(default_factory=list)  # for a list value, each item


@dataclass(slots=True)
class Duplicate:
    name: str
    first: Span  # the earlier key
    again: Span  # the repeated key


@dataclass(slots=True)
class Frontmatter:
    start: int  # offset of the opening '---'
    end: int  # offset just past the closing '---' line (the opening line when not closed)
    raw: str  # the YAML between the fences
    raw_start: int  # offset of `raw` in the file
    data: Any = None  # what the YAML loads to; None if it did not load
    error: str | None = None  # why it is invalid (VL201)
    error_at: int = 0  # offset the error points at
    closed: bool = True
    properties: list[Property] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)

    def mapping(self) -> dict[Any, Any]:
        return self.data if isinstance(self.data, dict) and self.error is None else {}

    def property(self, name: str) -> Property | None:
        """The last key named `name` (the one whose value YAML keeps)."""
        found = None
        for prop in self.properties:
            if prop.name == name:
                found = prop
        return found


def split_frontmatter(text: str) -> Frontmatter | None:
    """The `---` fenced block at the very top of `text`, loaded; None if the note has none.

    A block that is never closed is returned (with an error) only when its first line reads
    as a property: a note that merely opens with a `---` rule has no frontmatter.
    """
    opening = _OPEN.match(text)
    if not opening:
        return None
    raw_start = opening.end()
    close = _CLOSE.search(text, raw_start)
    if close is None:
        if not _LOOKS_LIKE_KEY.match(text, raw_start):
            return None
        fm = Frontmatter(0, raw_start, "", raw_start, closed=False)
        fm.error = "frontmatter is not closed: no '---' line ends it"
        return fm
    raw = text[raw_start : close.start()]
    end = close.end() + 1 if close.end() < len(text) else close.end()
    fm = Frontmatter(0, end, raw, raw_start)
    _load(fm)
    return fm


def _load(fm: Frontmatter) -> None:
    if len(fm.raw) > MAX_FRONTMATTER:
        _fail(fm, f"frontmatter is {len(fm.raw):,} characters; vaultlint reads at most "
              f"{MAX_FRONTMATTER:,}", 0)  # fmt: skip
        return
    if not fm.raw.strip():
        fm.data = {}
        return
    if _simple_properties(fm):
        return
    try:
        loaded = _HANDLER.load(fm.raw, Loader=_ObsidianLoader)
    except yaml.MarkedYAMLError as exc:
        _fail(fm, f"invalid YAML: {_describe(exc)}", _error_index(exc, fm.raw))
        return
    except (yaml.YAMLError, RecursionError, TypeError, ValueError) as exc:
        _fail(fm, f"invalid YAML: {exc}".replace("\n", " "), 0)
        return
    if loaded is None:  # only comments
        fm.data = {}
        return
    data, root = loaded
    nodes = _expanded_size(root)
    if nodes > MAX_NODES:
        _fail(fm, f"YAML aliases expand to more than {MAX_NODES:,} values", 0)
        return
    fm.data = data
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        _fail(fm, f"frontmatter is {kind}, not a set of properties (key: value lines)", 0)
        return
    _locate(fm, root)


def _simple_properties(fm: Frontmatter) -> bool:
    """Load `key: text` lines without YAML when each key and value is a plain scalar that YAML
    reads as the same text (tests/test_frontmatter.py compares this with the YAML path);
    return False, changing nothing, for anything else."""
    raw = fm.raw
    if not _SIMPLE_BLOCK.fullmatch(raw):
        return False
    data: dict[str, Any] = {}
    properties = []
    at = fm.raw_start
    resolvers = _ObsidianLoader.yaml_implicit_resolvers
    for m in _SIMPLE_LINE.finditer(raw):
        key, value = m.group(1, 2)
        if (
            key in data
            or value[0] in _NOT_FIRST
            or value[-1] in " :"
            or ": " in value
            or " #" in value
            or not value.isprintable()
            or any(regexp.match(key) for _, regexp in resolvers.get(key[0], ()))
            or any(regexp.match(value) for _, regexp in resolvers.get(value[0], ()))
        ):
            return False  # a repeat, not text, or not sure: YAML decides
        data[key] = value
        start = at + m.start()
        properties.append(
            Property(key, Span(start, start + len(key)), Span(at + m.start(2), at + m.end(2)))
        )
    fm.data = data
    fm.properties = properties
    return True


def _describe(exc: yaml.MarkedYAMLError) -> str:
    parts = [exc.problem or "", exc.context or ""]
    return " ".join(p for p in parts if p) or "cannot be parsed"


def _error_index(exc: yaml.MarkedYAMLError, raw: str) -> int:
    """Where the error is: the problem, or the construct it is in when the problem is only
    noticed at the end of the block (an unclosed bracket or quote)."""
    problem, context = exc.problem_mark, exc.context_mark
    if problem is not None and (context is None or problem.index < len(raw.rstrip())):
        return int(problem.index)
    return int(context.index) if context is not None else 0


def _fail(fm: Frontmatter, reason: str, index: int) -> None:
    fm.error = reason
    fm.error_at = fm.raw_start + min(index, len(fm.raw))


def _expanded_size(root: yaml.Node) -> int:
    """Nodes in the tree with every alias expanded; MAX_NODES + 1 when over, or cyclic."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if depth > 1000:
            return MAX_NODES + 1
        sizes[id(node)] = MAX_NODES + 1  # a node met again before it is sized is a cycle
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child, depth + 1)
                if total > MAX_NODES:
                    break
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                total += size(key, depth + 1) + size(value, depth + 1)
                if total > MAX_NODES:
                    break
        sizes[id(node)] = total
        return total

    return size(root, 0)


def _span(fm: Frontmatter, node: yaml.Node) -> Span:
    return Span(fm.raw_start + node.start_mark.index, fm.raw_start + node.end_mark.index)


def _pairs(node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
    return cast("list[tuple[yaml.Node, yaml.Node]]", getattr(node, "written_pairs", node.value))


def _locate(fm: Frontmatter, root: yaml.Node) -> None:
    """Record where each top-level key, value and list item is, and every repeated key."""
    for key, value in _pairs(root):
        if isinstance(key, yaml.ScalarNode) and key.value == "<<":
            continue
        items = [_span(fm, n) for n in value.value] if isinstance(value, yaml.SequenceNode) else []
        name = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
        key_at, value_at = _span(fm, key), _span(fm, value)
        if value_at.start < key_at.end:  # an alias (`*x`): the node is the one it repeats
            value_at = Span(key_at.end, key_at.end)
        fm.properties.append(Property(name, key_at, value_at, items))
    stack: list[yaml.Node] = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            first: dict[str, yaml.Node] = {}
            for key, value in _pairs(node):
                stack.append(value)
                if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
                    continue
                if key.value in first:
                    fm.duplicates.append(
                        Duplicate(key.value, _span(fm, first[key.value]), _span(fm, key))
                    )
                else:
                    first[key.value] = key
    fm.duplicates.sort(key=lambda d: d.again.start)
