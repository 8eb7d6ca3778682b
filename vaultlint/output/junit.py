"""JUnit XML: one test case per note checked, failing with that note's diagnostics.

A note with diagnostics gets one `<failure>` whose message counts them and whose text lists
them one a line (`line:col: CODE [severity] message`); a clean note is a passing test case, so
CI shows how many notes were checked. Warnings fail the test case too: JUnit has no warnings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TextIO

from vaultlint.diagnostics import Diagnostic, Severity
from vaultlint.output import Report

# Characters XML 1.0 does not allow, even escaped (a note may hold a stray control character).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _failure(case: ET.Element, found: list[Diagnostic]) -> None:
    errors = sum(d.severity is Severity.ERROR for d in found)
    counts = [_plural(errors, "error")] if errors else []
    if len(found) > errors:
        counts.append(_plural(len(found) - errors, "warning"))
    failure = ET.SubElement(
        case,
        "failure",
        message=" and ".join(counts),
        type="error" if errors else "warning",
    )
    failure.text = _xml(
        "".join(f"{d.line}:{d.column}: {d.code} [{d.severity.value}] {d.message}\n" for d in found)
    )


def document(report: Report) -> ET.Element:
    by_note: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in report.diagnostics:
        by_note[d.path].append(d)
    notes = sorted(set(report.notes) | set(by_note))
    failed = sum(1 for n in notes if by_note.get(n))
    counts = {"tests": str(len(notes)), "failures": str(failed), "errors": "0"}
    root = ET.Element("testsuites", {"name": "vaultlint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "vaultlint", "skipped": "0", **counts})
    for note in notes:
        shown = _xml(report.shown_path(note))
        case = ET.SubElement(suite, "testcase", name=shown, classname="vaultlint", file=shown)
        if by_note.get(note):
            _failure(case, by_note[note])
    return root


def write(report: Report, out: TextIO, colour: bool) -> None:
    tree = ET.ElementTree(document(report))
    ET.indent(tree)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    tree.write(out, encoding="unicode")
    out.write("\n")
