"""Frontmatter schemas: `[[schema]]` config blocks and `.obsidian/types.json`, compiled to pydantic.

Every block whose `paths` match a note applies to it; where two blocks define the same field, the
block with the more specific matching glob wins (the later block on a tie). Fields no applying
block mentions take their type from `.obsidian/types.json`, as Obsidian types a property
vault-wide. Each merged set of fields is compiled once to a pydantic model (`create_model`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetPydanticSchema,
    StrictBool,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError, SchemaError, SchemaValidator, core_schema

from vaultlint.frontmatter import LIST_PROPERTIES
from vaultlint.globs import Glob, matches

FieldType = Literal[
    "text", "number", "int", "bool", "date", "datetime", "list", "tags", "link", "list[link]",
    "enum",
]  # fmt: skip
TYPES_JSON = ".obsidian/types.json"
# Obsidian's property types (types.json values) as our field types; plugin types are skipped.
OBSIDIAN_TYPES: dict[str, FieldType] = {
    "text": "text", "multitext": "list", "number": "number", "checkbox": "bool",
    "date": "date", "datetime": "datetime", "tags": "tags", "aliases": "list",
}  # fmt: skip
_BOUNDED = {"number", "int", "text", "list", "tags", "list[link]"}
_WIKI_LINK = re.compile(r"!?\[\[[^\[\]\n]*\]\]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class FieldSpec(BaseModel):
    """One field of a schema block: `title = { type = "text", required = true }`."""

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)

    type: FieldType
    required: bool = False
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    values: list[str | int | float | bool] | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _fits_type(self) -> FieldSpec:
        if self.type == "enum" and not self.values:
            raise ValueError("type 'enum' needs 'values'")
        if self.values is not None and self.type != "enum":
            raise ValueError(f"'values' applies to type 'enum', not '{self.type}'")
        if self.pattern is not None and self.type not in ("text", "list"):
            raise ValueError(f"'pattern' applies to types 'text' and 'list', not '{self.type}'")
        if (self.min is not None or self.max is not None) and self.type not in _BOUNDED:
            raise ValueError(f"'min' and 'max' do not apply to type '{self.type}'")
        if self.type not in ("number", "int"):
            for bound in (self.min, self.max):
                if bound is not None and (bound != int(bound) or bound < 0):
                    raise ValueError(
                        f"'min' and 'max' of type '{self.type}' count: use whole numbers"
                    )
        return self

    def describe(self) -> str:
        """What a value must be, for messages: `text matching ^x$`."""
        words = _EXPECTED[self.type]
        if self.type == "enum":
            words += " " + ", ".join(json.dumps(v) for v in self.values or [])
        if self.pattern is not None:
            words += f" matching /{self.pattern}/"
        return words

    def item(self) -> FieldSpec:
        """The spec an item of a list field must meet."""
        return FieldSpec(type="link" if self.type == "list[link]" else "text", pattern=self.pattern)


class SchemaBlock(BaseModel):
    """A `[[schema]]` block: the notes it applies to and their fields."""

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)

    name: str | None = None
    paths: list[Glob] = Field(min_length=1)
    extra: Literal["allow", "forbid"] | None = None
    fields: dict[str, FieldSpec] = Field(default_factory=dict)

    def label(self, number: int) -> str:
        """How messages name the block: `schema "topic"`, or `schema[1]` (as config errors
        count blocks) when it has no name."""
        return f'schema "{self.name}"' if self.name else f"schema[{number}]"


_EXPECTED: dict[str, str] = {
    "text": "text",
    "number": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "date": "a date (YYYY-MM-DD)",
    "datetime": "a date and time (YYYY-MM-DDTHH:MM:SS)",
    "list": "a list",
    "tags": "a list of tags",
    "link": 'a quoted link such as "[[note]]"',
    "list[link]": 'a list of quoted links such as "[[note]]"',
    "enum": "one of",
}


def specificity(pattern: str) -> int:
    """How specific a glob is: its characters that are not wildcards or separators."""
    return len(re.sub(r"\*|\?|\[[^\]]*\]|/", "", pattern))


# -- compiling fields to pydantic -------------------------------------------------------------


def describe_value(value: Any) -> str:
    """A found value, for messages: `text "abc"`, `a list`, `number 5`."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"number {value}"
    if isinstance(value, dt.datetime):
        return f"date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"date {value.isoformat()}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"text {json.dumps(shown, ensure_ascii=False)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _custom(
    check: Callable[[Any], bool], spec: FieldSpec, hint: Callable[[Any], str] | None = None
) -> AfterValidator:
    """A validator that rejects values `check` refuses, with our own message."""

    def validate(value: Any) -> Any:
        if not check(value):
            extra = hint(value) if hint else ""
            raise PydanticCustomError(
                "vaultlint", "expected {expected}, found {found}{hint}",
                {"expected": spec.describe(), "found": describe_value(value), "hint": extra},
            )  # fmt: skip
        return value

    return AfterValidator(validate)


def _is_date(value: Any) -> bool:
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    return isinstance(value, str) and _ISO_DATE.fullmatch(value) is not None and _parses(value)


def _is_datetime(value: Any) -> bool:
    if isinstance(value, dt.datetime):
        return True
    return isinstance(value, str) and _ISO_DATETIME.fullmatch(value) is not None and _parses(value)


def _parses(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_link(value: Any) -> bool:
    return isinstance(value, str) and _WIKI_LINK.fullmatch(value.strip()) is not None


def _unquoted_link_hint(value: Any) -> str:
    """`[[x]]` written without quotes loads as a list in a list (`- [[x]]` as an item too)."""
    depth = 0
    while isinstance(value, list) and len(value) == 1:
        value, depth = value[0], depth + 1
    if depth == 0 or isinstance(value, list | dict):
        return ""
    return f' (YAML reads an unquoted [[{value}]] as a list: write "[[{value}]]")'


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | dt.date)


def _listed(value: Any) -> Any:
    """A single value where Obsidian wants a list: VL204 reports it, so check it as an item."""
    return value if value is None or isinstance(value, list | dict) else [value]


def _text(pattern: str | None, min_length: int | None = None, max_length: int | None = None) -> Any:
    """Text, perhaps of a length and matching a pattern (searched, as pydantic does)."""
    schema = core_schema.str_schema(
        strict=True, pattern=pattern, min_length=min_length, max_length=max_length,
        regex_engine=None if pattern is None else _regex_engine(pattern),
    )  # fmt: skip
    return Annotated[str, GetPydanticSchema(lambda _source, _handler: schema)]


@lru_cache(maxsize=256)
def _regex_engine(pattern: str) -> Literal["rust-regex", "python-re"]:
    """How a schema `pattern` is matched: by pydantic's default engine, Rust's regex crate, which
    takes linear time whatever the value, so no note can make a check hang; only a pattern it
    does not support (lookaround, backreferences) by Python's `re`, which backtracks."""
    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern, regex_engine="rust-regex"))
    except SchemaError:
        return "python-re"
    return "rust-regex"


def _annotation(spec: FieldSpec) -> Any:
    """The pydantic type a value of this field must have."""
    bounds: dict[str, Any] = {"ge": spec.min, "le": spec.max}
    lengths: dict[str, Any] = {
        "min_length": None if spec.min is None else int(spec.min),
        "max_length": None if spec.max is None else int(spec.max),
    }
    match spec.type:
        case "text":
            return _text(spec.pattern, **lengths)
        case "number":
            return Annotated[float, Field(strict=True, **bounds)]
        case "int":
            return Annotated[int, Field(strict=True, **bounds)]
        case "bool":
            return StrictBool
        case "date":
            return Annotated[Any, _custom(_is_date, spec)]
        case "datetime":
            return Annotated[Any, _custom(_is_datetime, spec)]
        case "link":
            return Annotated[Any, _custom(_is_link, spec, _unquoted_link_hint)]
        case "enum":  # `1` is not `true`: compare type and value
            values = [(type(v), v) for v in spec.values or ()]
            return Annotated[Any, _custom(lambda v: (type(v), v) in values, spec)]
        case "list" | "tags":  # bad tag text is VL205's to report
            item: Any = Annotated[Any, _custom(_is_scalar, spec.item())]
            if spec.pattern is not None:
                item = _text(spec.pattern)
            return Annotated[list[item], Field(**lengths)]
        case "list[link]":
            item = Annotated[Any, _custom(_is_link, spec.item(), _unquoted_link_hint)]
            return Annotated[list[item], Field(**lengths)]
    raise AssertionError(spec.type)


@dataclass(frozen=True)
class MergedField:
    name: str
    spec: FieldSpec
    source: str  # the schema block's name, or TYPES_JSON


@dataclass(frozen=True)
class Violation:
    """One VL202 finding: the field (and list item) it is about and what is wrong."""

    field: str | None  # None: about the frontmatter as a whole (a missing field)
    item: int | None
    message: str


class CompiledSchema:
    """The fields that apply to a set of notes, as one pydantic model."""

    def __init__(self, fields: dict[str, MergedField], extra: str, extra_source: str) -> None:
        self.fields = fields
        self.extra = extra
        self.extra_source = extra_source
        definitions: dict[str, Any] = {}
        for number, (name, merged) in enumerate(fields.items()):
            spec = merged.spec
            annotation = _annotation(spec)
            if name in LIST_PROPERTIES:
                annotation = Annotated[annotation, BeforeValidator(_listed)]
            if spec.required:
                definitions[f"f{number}"] = (annotation, Field(alias=name))
            else:
                definitions[f"f{number}"] = (annotation | None, Field(None, alias=name))
        config = ConfigDict(extra=extra)  # type: ignore[typeddict-item]
        self.model = create_model("Frontmatter", __config__=config, **definitions)

    def validate(self, data: dict[Any, Any]) -> list[Violation]:
        properties = {str(k): v for k, v in data.items()}
        try:
            self.model.model_validate(properties)
        except ValidationError as exc:
            return [self._violation(e, properties) for e in exc.errors()]
        return []

    def _violation(self, error: Any, properties: dict[str, Any]) -> Violation:
        loc = error["loc"]
        name = str(loc[0]) if loc else None
        item = next((p for p in loc[1:] if isinstance(p, int)), None)
        kind = error["type"]
        if kind == "missing":
            merged = self.fields[name or ""]
            return Violation(None, None, f'missing required field "{name}" ({merged.source})')
        if kind == "extra_forbidden":
            return Violation(
                name, None, f'unknown field "{name}" ({self.extra_source} allows no other fields)'
            )
        merged = self.fields[name or ""]
        where = f'"{name}"' + (f" item {item + 1}" if item is not None else "")
        value = properties.get(name or "")
        if kind == "vaultlint":
            message = error["msg"]
        elif value is None:
            message = f"required field is empty: expected {merged.spec.describe()}"
        else:
            spec = merged.spec.item() if item is not None else merged.spec
            message = _constraint_message(kind, error, spec)
        return Violation(name, item, f"{where}: {message} ({merged.source})")


def _constraint_message(kind: str, error: Any, spec: FieldSpec) -> str:
    found = describe_value(error["input"])
    ctx = error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        return f"{found} does not match /{ctx['pattern']}/"
    if kind in ("greater_than_equal", "less_than_equal"):
        word, bound = (
            ("less", ctx.get("ge")) if kind == "greater_than_equal" else ("more", ctx.get("le"))
        )
        return f"{found} is {word} than the {'minimum' if word == 'less' else 'maximum'} {bound:g}"
    if kind in ("too_short", "string_too_short", "too_long", "string_too_long"):
        unit = "character" if kind.startswith("string") else "item"
        size = len(error["input"])
        has = f"has {size} {unit}{'' if size == 1 else 's'}"
        if "short" in kind:
            return f"{has}, fewer than the minimum {spec.min:g}"
        return f"{has}, more than the maximum {spec.max:g}"
    return f"expected {spec.describe()}, found {found}"


# -- choosing the schema of a note ------------------------------------------------------------


def read_types_json(root: Path) -> tuple[dict[str, FieldType], str | None]:
    """Obsidian's vault-wide property types, and a warning when the file can't be used."""
    file = root / TYPES_JSON
    if not file.is_file():
        return {}, None
    try:
        types = json.loads(file.read_text(encoding="utf-8")).get("types", {})
    except (OSError, ValueError, AttributeError) as exc:
        return {}, f"{TYPES_JSON}: ignored, cannot be read as JSON: {exc}"
    if not isinstance(types, dict):
        return {}, f"{TYPES_JSON}: ignored, 'types' is not an object"
    known = {k: OBSIDIAN_TYPES[v] for k, v in types.items() if v in OBSIDIAN_TYPES}
    return known, None


class Schemas:
    """All schema blocks of the settings plus types.json; a compiled schema per note."""

    def __init__(self, blocks: list[SchemaBlock], root: Path) -> None:
        self.blocks = blocks
        self.types, self.warning = read_types_json(root)
        self._compiled: dict[tuple[int, ...], CompiledSchema | None] = {}

    @cached_property
    def active(self) -> bool:
        return bool(self.blocks or self.types)

    def applying(self, path: str) -> list[int]:
        """Numbers of the blocks that apply to `path`, least specific first (later wins)."""
        found = []
        for number, block in enumerate(self.blocks):
            hits = [specificity(p) for p in block.paths if matches(p, path)]
            if hits:
                found.append((max(hits), number))
        return [number for _, number in sorted(found)]

    def for_note(self, path: str) -> CompiledSchema | None:
        key = tuple(self.applying(path))
        if key not in self._compiled:
            self._compiled[key] = self._compile(key)
        return self._compiled[key]

    def _compile(self, numbers: tuple[int, ...]) -> CompiledSchema | None:
        fields: dict[str, MergedField] = {}
        extra, extra_source = "allow", ""
        for number in numbers:
            block = self.blocks[number]
            label = block.label(number)
            for name, spec in block.fields.items():
                fields[name] = MergedField(name, spec, label)
            if block.extra is not None:
                extra, extra_source = block.extra, label
        # With `extra = "forbid"` the schema's fields are all a note may have; otherwise
        # properties the schema does not mention keep the type Obsidian gives them.
        for name, kind in self.types.items() if extra == "allow" else ():
            if name not in fields:
                fields[name] = MergedField(name, FieldSpec(type=kind), TYPES_JSON)
        if not fields and extra == "allow":
            return None
        return CompiledSchema(fields, extra, extra_source)


def explain(schemas: Schemas, path: str) -> str:
    """What `vaultlint schema NOTE` prints: the blocks that apply and the merged fields."""
    numbers = schemas.applying(path)
    compiled = schemas.for_note(path)
    out = [path]
    if not numbers and compiled is None:
        out.append(f"  no schema applies (no [[schema]] block matches, and no {TYPES_JSON})")
        return "\n".join(out) + "\n"
    if numbers:
        out.append("  schema blocks, least specific first (a later block wins a field):")
        width = max(len(schemas.blocks[n].label(n)) for n in numbers) + 2
        for n in numbers:
            block = schemas.blocks[n]
            out.append(f"    {block.label(n):<{width}}paths: {', '.join(block.paths)}")
    else:
        out.append(f"  no [[schema]] block matches; property types come from {TYPES_JSON}")
    if compiled is None:
        out.append("  other fields: allowed\n  fields: none")
        return "\n".join(out) + "\n"
    source = f" ({compiled.extra_source})" if compiled.extra_source else ""
    out.append(
        f"  other fields: {'forbidden' if compiled.extra == 'forbid' else 'allowed'}{source}"
    )
    rows = [(name, _summary(m.spec), m.source) for name, m in compiled.fields.items()]
    if rows:
        out.append("  fields:")
        name_width = max(len(r[0]) for r in rows) + 2
        spec_width = max(len(r[1]) for r in rows) + 2
        out += [f"    {n:<{name_width}}{spec:<{spec_width}}{src}" for n, spec, src in rows]
    return "\n".join(out) + "\n"


def _summary(spec: FieldSpec) -> str:
    """A field's spec on one line: `text matching /x/, required, max 3`."""
    parts = [spec.describe()] + (["required"] if spec.required else [])
    parts += [f"{k} {v:g}" for k, v in (("min", spec.min), ("max", spec.max)) if v is not None]
    return ", ".join(parts)
