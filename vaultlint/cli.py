"""Command line: argument parsing, exit codes, nothing else."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from typing import TextIO

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


def _summary(diagnostics: list[Diagnostic], checked: int) -> str:
    if not diagnostics:
        return f"All checks passed! ({_plural(checked, 'note')} checked)"
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    parts = [_plural(errors, "error")] + ([_plural(warnings, "warning")] if warnings else [])
    notes = len({d.path for d in diagnostics})
    return (
        f"Found {' and '.join(parts)} in {_plural(notes, 'note')} "
        f"({_plural(checked, 'note')} checked)."
    )


def _vault_and_settings(args: argparse.Namespace, start: Path) -> tuple[Path, Settings]:
    root = args.vault.resolve() if args.vault else find_vault_root(start)
    if args.vault and not root.is_dir():
        raise ConfigError(f"--vault {args.vault}: not a folder")
    return root, load_settings(args.config if args.config else config_file_in(root))


def _check(args: argparse.Namespace) -> int:
    from vaultlint.engine import Engine, UsageError
    from vaultlint.output import Report, default_format, writer
    from vaultlint.parallel import default_jobs
    from vaultlint.terminal import progress_bar, statistics

    root, settings = _vault_and_settings(args, args.paths[0] if args.paths else Path.cwd())
    if args.select is not None:
        check_selectors(args.select, "--select")
        settings.select = args.select
    check_selectors(args.ignore, "--ignore")
    settings.ignore = [*settings.ignore, *args.ignore]

    try:
        output_format = args.format or default_format()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    with progress_bar(sys.stderr, args.quiet) as progress:
        jobs = args.jobs or default_jobs()
        engine = Engine(root, settings, args.index_source, cache=not args.no_cache, jobs=jobs)
        result = engine.run(args.paths, force_exclude=args.force_exclude, progress=progress)
    report = Report(
        str(engine.root), result.checked, result.diagnostics, result.notes, engine.line_text
    )
    for warning in engine.warnings:
        print(f"vaultlint: warning: {warning}", file=sys.stderr)

    try:
        out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    except OSError as exc:
        raise UsageError(f"--output {args.output}: cannot write: {exc.strerror}") from None
    try:
        colour = args.output is None and _use_colour(args.color, sys.stdout)
        if args.statistics:
            statistics(result.diagnostics, out, colour)
        else:
            writer(output_format)(report, out, colour)
    finally:
        if args.output:
            out.close()
    if not args.quiet:
        print(_summary(result.diagnostics, result.checked), file=sys.stderr)
    failed = any(d.severity is Severity.ERROR for d in result.diagnostics)
    return EXIT_FOUND if failed and not args.exit_zero else EXIT_OK


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
            return _check(args)
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
