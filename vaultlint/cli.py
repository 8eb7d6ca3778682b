"""Command line: argument parsing, exit codes, nothing else."""

from __future__ import annotations

import argparse
import codecs
import gc
import io
import operator
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from vaultlint import __version__
from vaultlint.config import (
    ConfigError,
    Settings,
    check_selectors,
    config_file_in,
    find_vault_root,
    load_settings,
)
from vaultlint.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from vaultlint.cache import Replay
    from vaultlint.fixes import FixOutcome

EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


def _parser() -> argparse.ArgumentParser:
    from vaultlint.output import FORMATS

    parser = argparse.ArgumentParser(
        prog="vaultlint", description="Lint and validate an Obsidian vault."
    )
    parser.add_argument("--version", action="version", version=f"vaultlint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="lint the vault (default: all of it)")
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="notes or folders to report on (the index always covers the vault)",
    )
    check.add_argument("--vault", type=Path, metavar="DIR", help="the vault root")
    check.add_argument("--config", type=Path, metavar="FILE", help="use this config file")
    check.add_argument(
        "--select",
        type=_codes,
        metavar="CODES",
        help="comma list of codes, prefixes or names (replaces the config's)",
    )
    check.add_argument(
        "--ignore",
        type=_codes,
        default=[],
        metavar="CODES",
        help="comma list of codes, prefixes or names to turn off",
    )
    check.add_argument(
        "--format",
        choices=FORMATS,
        help="default: $VAULTLINT_OUTPUT_FORMAT, else github under GitHub Actions, else text",
    )
    check.add_argument("--output", type=Path, metavar="FILE", help="write the report here")
    check.add_argument("--statistics", action="store_true", help="counts per rule")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix or --diff: unsafe fixes too"
    )
    check.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a unified diff and change nothing (exit 1 if there are any)",
    )
    check.add_argument(
        "--baseline", type=Path, metavar="FILE", help="report only diagnostics not in FILE"
    )
    check.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="record every diagnostic found in FILE, for --baseline, and exit 0",
    )
    check.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply `exclude` to paths named on the command line too",
    )
    check.add_argument(
        "--index-source",
        choices=("fs", "git"),
        default="fs",
        help="index every file in the vault (fs) or only the files git tracks (git)",
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with errors")
    check.add_argument("--quiet", "-q", action="store_true", help="no summary line")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument(
        "--no-cache", action="store_true", help="neither read nor write .vaultlint_cache/"
    )
    check.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        metavar="N",
        help="processes that check notes (default: the number of CPUs)",
    )

    schema = sub.add_parser("schema", help="show the frontmatter schema that applies to a note")
    schema.add_argument("note", type=Path, metavar="NOTE")
    schema.add_argument("--vault", type=Path, metavar="DIR", help="the vault root")
    schema.add_argument("--config", type=Path, metavar="FILE", help="use this config file")

    lsp = sub.add_parser("lsp", help="a language server on stdio (needs the [lsp] extra)")
    lsp.add_argument(
        "--debounce",
        type=int,
        default=300,
        metavar="MS",
        help="milliseconds after the last change before a note is checked (default 300)",
    )

    sub.add_parser("rules", help="list every rule")
    rule = sub.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", metavar="CODE")
    return parser


def _use_colour(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# Counted in C (`map`, `countOf`): a report can hold 100,000 diagnostics.
_PATH, _SEVERITY, _FIX, _SAFE = map(operator.attrgetter, ("path", "severity", "fix", "safe"))


def _errors(diagnostics: list[Diagnostic]) -> int:
    return operator.countOf(map(_SEVERITY, diagnostics), Severity.ERROR)


def _summary(diagnostics: list[Diagnostic], checked: int) -> str:
    if not diagnostics:
        return f"All checks passed! ({_plural(checked, 'note')} checked)"
    errors = _errors(diagnostics)
    warnings = len(diagnostics) - errors
    parts = [_plural(errors, "error")] + ([_plural(warnings, "warning")] if warnings else [])
    notes = len(set(map(_PATH, diagnostics)))
    return (
        f"Found {' and '.join(parts)} in {_plural(notes, 'note')} "
        f"({_plural(checked, 'note')} checked)."
    )


def _vault_and_settings(args: argparse.Namespace, start: Path) -> tuple[Path, Settings]:
    root = args.vault.resolve() if args.vault else find_vault_root(start)
    if args.vault and not root.is_dir():
        raise ConfigError(f"--vault {args.vault}: not a folder")
    return root, load_settings(args.config if args.config else config_file_in(root))


def _collect_less() -> None:
    """Run Python's cycle collector less often in a batch run. A run makes millions of small
    objects, nearly all freed by reference counting or kept to the end; with the default
    thresholds the full collections walking them took about 15% of a cold run. The objects
    of the imported modules are moved out of the collector's sight."""
    gc.freeze()
    gc.set_threshold(10_000, 100, 1_000)


def _check(args: argparse.Namespace, exit_when_done: bool = False) -> int:
    """`vaultlint check`; `exit_when_done`: end the process once the report is out."""
    from vaultlint.baseline import Baseline
    from vaultlint.cache import CacheError
    from vaultlint.engine import Engine, UsageError
    from vaultlint.fixes import fix_notes
    from vaultlint.output import SHOWS_FIXES, Report, default_format, writer
    from vaultlint.parallel import default_jobs
    from vaultlint.replay import replay_key
    from vaultlint.terminal import progress_bar, statistics

    root, settings = _vault_and_settings(args, args.paths[0] if args.paths else Path.cwd())
    if args.select is not None:
        check_selectors(args.select, "--select")
        settings.select = args.select
    check_selectors(args.ignore, "--ignore")
    settings.ignore = [*settings.ignore, *args.ignore]
    if args.diff and args.write_baseline:
        raise UsageError("--diff changes nothing: it can't be used with --write-baseline")
    baseline = Baseline.load(args.baseline) if args.baseline and not args.write_baseline else None

    try:
        output_format = args.format or default_format()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    _collect_less()
    colour = args.output is None and _use_colour(args.color, sys.stdout)
    with progress_bar(sys.stderr, args.quiet) as progress:
        jobs = args.jobs or default_jobs()
        edits = args.fix or args.diff or output_format in SHOWS_FIXES  # else only counted
        engine = Engine(
            root, settings, args.index_source, cache=not args.no_cache, jobs=jobs, edits=edits
        )
        plan = engine.plan(args.paths, args.force_exclude)
        key = replay_key(args, plan.fingerprint, engine.root, output_format, colour)
        replay = engine.cache.report(key) if engine.cache and key else None
        if replay is None:
            result = engine.run(progress=progress, plan=plan)
    for warning in engine.warnings:
        print(f"vaultlint: warning: {warning}", file=sys.stderr)
    if replay is not None:
        return _replay(args, replay, exit_when_done)

    def reported(found: list[Diagnostic]) -> list[Diagnostic]:
        return baseline.new(found, engine.line_text) if baseline else found

    found = result.diagnostics
    fixing = None
    if args.fix or args.diff:
        fixing = fix_notes(engine, found, args.unsafe_fixes, reported)
        if args.diff:
            return _diff(args, fixing, result.checked)
        fixing.write()
        for warning in fixing.warnings:
            print(f"vaultlint: warning: {warning}", file=sys.stderr)
        for error in fixing.errors:
            print(f"vaultlint: error: {error}", file=sys.stderr)
        found = fixing.found
    diagnostics = fixing.diagnostics if fixing else reported(found)
    write_failed = bool(fixing and fixing.errors)
    if args.write_baseline:
        try:
            Baseline.of(found, engine.line_text).write(args.write_baseline)
        except OSError as exc:
            raise UsageError(f"--write-baseline {args.write_baseline}: {exc.strerror}") from None
        if not args.quiet:
            print(
                f"Wrote {_plural(len(found), 'diagnostic')} to {args.write_baseline} "
                f"({_plural(result.checked, 'note')} checked).",
                file=sys.stderr,
            )
        return EXIT_ERROR if write_failed else EXIT_OK

    report = Report(str(engine.root), result.checked, diagnostics, result.notes, engine.line_text)
    stream = _open_output(args)
    out = _Copying(stream) if key else stream  # the report, kept for the same run again
    try:
        if args.statistics:
            statistics(diagnostics, out, colour)
            if baseline is not None:
                targets, notes = set(result.notes), set(engine.index.notes)

                def checked(path: str, code: str) -> bool:
                    in_run = path in targets or path not in notes
                    return in_run and code in engine.rules_for(path)

                stale = baseline.stale(found, engine.line_text, checked)
                if stale:
                    entries = "entry" if stale == 1 else "entries"
                    out.write(f"{stale} stale baseline {entries} (fixed or gone)\n")
        else:
            writer(output_format)(report, out, colour)
    finally:
        if args.output:
            stream.close()
    told = ""  # the summary, on stderr
    if not args.quiet:
        summary = _summary(diagnostics, result.checked)
        if fixing and fixing.total_fixed:
            summary = _fixed_summary(fixing.total_fixed, diagnostics, result.checked)
        told = "".join(f"{line}\n" for line in (summary, _fixable(diagnostics, args)) if line)
    sys.stderr.write(told)
    if write_failed:
        code = EXIT_ERROR
    else:
        failed = Severity.ERROR in map(_SEVERITY, diagnostics)
        code = EXIT_FOUND if failed and not args.exit_zero else EXIT_OK
    if isinstance(out, _Copying) and out.whole and engine.cache and key:
        with out.kept() as kept:
            try:
                engine.cache.store_report(key, kept, told, code)
            except CacheError as exc:
                print(f"vaultlint: warning: {exc}", file=sys.stderr)
    if exit_when_done:
        _exit_now(code)
    return code


def _open_output(args: argparse.Namespace) -> TextIO:
    from vaultlint.engine import UsageError

    try:
        return args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    except OSError as exc:
        raise UsageError(f"--output {args.output}: cannot write: {exc.strerror}") from None


class _Copying(io.TextIOWrapper):
    """A stream that writes to `out` and keeps a copy in UTF-8, if it can (not a report
    with a lone surrogate from a file name that is not UTF-8)."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8", newline="")
        self.out = out
        self.whole = True

    def write(self, text: str) -> int:
        self.out.write(text)
        if self.whole:
            try:
                super().write(text)
            except UnicodeEncodeError:
                self.whole = False
        return len(text)

    def isatty(self) -> bool:
        return self.out.isatty()

    def fileno(self) -> int:
        return self.out.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]  # what the colour library writes for
        return self.out.encoding

    def kept(self) -> memoryview:
        """What was written, in UTF-8 (whole if `whole`); release it before this stream."""
        self.flush()  # the copy (`out` is flushed as the program ends, or by its owner)
        buffer = self.buffer
        assert isinstance(buffer, io.BytesIO)
        return buffer.getbuffer()


def _replay(args: argparse.Namespace, replay: Replay, exit_when_done: bool) -> int:
    """Print what the same run printed before, and exit as it did (see `replay.py`)."""
    out = _open_output(args)
    try:
        buffer = getattr(out, "buffer", None)
        if buffer is not None and _is_utf8(out.encoding) and os.linesep == "\n":
            out.flush()
            for chunk in replay.stdout:  # as the text stream would have written it
                buffer.write(chunk)
        else:
            decoder = codecs.getincrementaldecoder("utf-8")()
            for chunk in replay.stdout:
                out.write(decoder.decode(chunk))
            out.write(decoder.decode(b"", final=True))
    finally:
        if args.output:
            out.close()
    sys.stderr.write(replay.stderr)
    if exit_when_done:
        _exit_now(replay.code)
    return replay.code


def _is_utf8(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "").name == "utf-8"
    except LookupError:
        return False


def _exit_now(code: int) -> NoReturn:
    """End the process here, its output written: a run on a large vault holds hundreds of
    thousands of objects, and freeing them one by one as Python shuts down took 0.05-0.1 s.
    Everything that must last is written by now (the report, the cache's transactions)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _fixed_summary(fixed: int, remaining: list[Diagnostic], checked: int) -> str:
    """ruff's `Found 5 errors (3 fixed, 2 remaining)`, with errors and warnings apart."""
    errors = _errors(remaining)
    warnings = len(remaining) - errors
    kinds = [_plural(n, kind) for n, kind in ((errors, "error"), (warnings, "warning")) if n]
    left = f": {' and '.join(kinds)}" if kinds else ""
    return (
        f"Found {_plural(fixed + len(remaining), 'problem')} ({fixed} fixed, "
        f"{len(remaining)} remaining{left}); {_plural(checked, 'note')} checked."
    )


def _fixable(diagnostics: list[Diagnostic], args: argparse.Namespace) -> str:
    """How many reported diagnostics the fix options would fix ("" if none)."""
    fixes = list(filter(None, map(_FIX, diagnostics)))
    safe = operator.countOf(map(_SAFE, fixes), True)
    unsafe = len(fixes) - safe
    if args.fix and args.unsafe_fixes:
        return ""
    if args.fix:
        return f"{unsafe} more fixable with --fix --unsafe-fixes." if unsafe else ""
    parts = [f"{safe} fixable with --fix"] if safe else []
    if unsafe:
        parts.append(f"{unsafe} {'more ' if safe else ''}with --fix --unsafe-fixes")
    return ("; ".join(parts) + ".") if parts else ""


def _diff(args: argparse.Namespace, fixing: FixOutcome, checked: int) -> int:
    """`--diff`: the fixes as a unified diff on stdout (or --output); nothing is written."""
    from vaultlint.engine import UsageError

    try:
        out = args.output.open("w", encoding="utf-8", newline="") if args.output else sys.stdout
    except OSError as exc:
        raise UsageError(f"--output {args.output}: cannot write: {exc.strerror}") from None
    try:
        out.write(fixing.diff())
    finally:
        if args.output:
            out.close()
    for warning in fixing.warnings:
        print(f"vaultlint: warning: {warning}", file=sys.stderr)
    if not args.quiet:
        notes = _plural(len(fixing.texts), "note")
        left = len(fixing.diagnostics)
        if fixing.total_fixed:
            line = f"Would fix {_plural(fixing.total_fixed, 'problem')} in {notes} "
            line += f"({left} would remain); {_plural(checked, 'note')} checked."
        else:
            line = f"No fixes to apply ({_plural(left, 'problem')} found); "
            line += f"{_plural(checked, 'note')} checked."
        print(line, file=sys.stderr)
    return EXIT_FOUND if fixing.texts and not args.exit_zero else EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from vaultlint.engine import UsageError
    from vaultlint.schema import Schemas, explain

    root, settings = _vault_and_settings(args, args.note)
    note = Path(os.path.abspath(args.note))
    if not note.is_relative_to(root):
        raise UsageError(f"{args.note}: not inside the vault {root}")
    schemas = Schemas(settings.schemas, root)
    if schemas.warning:
        print(f"vaultlint: warning: {schemas.warning}", file=sys.stderr)
    sys.stdout.write(explain(schemas, note.relative_to(root).as_posix()))
    return EXIT_OK


def _rules() -> int:
    from vaultlint.rules import RULES

    width = max(len(r.name) for r in RULES.values()) + 2
    print(f"{'code':<7}{'name':<{width}}{'default':<9}{'severity':<10}fixable")
    for rule in RULES.values():
        on = "on" if rule.default_on else "off"
        fixable = "yes" if rule.fixable else "no"
        print(f"{rule.code:<7}{rule.name:<{width}}{on:<9}{rule.severity.value:<10}{fixable}")
    return EXIT_OK


def _rule(code: str) -> int:
    from vaultlint.ruledocs import page
    from vaultlint.rules import find_rule

    rule = find_rule(code)
    if rule is None:
        print(f"vaultlint: unknown rule '{code}' (see `vaultlint rules`)", file=sys.stderr)
        return EXIT_ERROR
    text = page(rule.code)
    if text is None:
        print(f"vaultlint: no page for {rule.code}", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(text)
    return EXIT_OK


def _lsp(debounce_ms: int) -> int:
    try:
        from vaultlint.lsp import serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol"):
            raise
        print(
            f"vaultlint: the language server needs the lsp extra ({exc}): "
            "pip install 'obsidian-vaultlint[lsp]'",
            file=sys.stderr,
        )
        return EXIT_ERROR
    serve(max(debounce_ms, 0) / 1000)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    from vaultlint.engine import UsageError

    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            # Run as the program (not called with arguments, as tests do): end the process
            # as soon as the report is out.
            return _check(args, exit_when_done=argv is None)
        if args.command == "schema":
            return _schema(args)
        if args.command == "rules":
            return _rules()
        if args.command == "lsp":
            return _lsp(args.debounce)
        return _rule(args.code)
    except (ConfigError, UsageError) as exc:
        print(f"vaultlint: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        traceback.print_exc()
        print(
            f"vaultlint: internal error {exc}; please report it with the traceback above.",
            file=sys.stderr,
        )
        return EXIT_ERROR
