"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Every registered rule is listed (with its page as help text), so `ruleIndex` is stable between
runs. Columns are in UTF-16 code units (SARIF's default `columnKind`), the end exclusive.
URIs are relative to `Report.base` (the current folder in CI), named by `uriBaseId` `%SRCROOT%`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from vaultlint import __version__
from vaultlint.diagnostics import Diagnostic, Severity
from vaultlint.output import Report
from vaultlint.output.fingerprint import fingerprints
from vaultlint.positions import utf16_column
from vaultlint.ruledocs import page, section
from vaultlint.rules import RULES, Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "vaultlint/v1"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def _rule(rule: Rule) -> dict[str, Any]:
    text = page(rule.code) or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": section(text, "What it checks") or rule.summary},
        "help": {"text": text, "markdown": text},
        "defaultConfiguration": {
            "enabled": rule.default_on,
            "level": _LEVEL[rule.severity],
        },
    }


def _region(report: Report, d: Diagnostic) -> dict[str, int]:
    start = report.line_text(d.path, d.line)
    end = start if d.end_line == d.line else report.line_text(d.path, d.end_line)
    return {
        "startLine": d.line,
        "startColumn": utf16_column(start, d.column),
        "endLine": d.end_line,
        "endColumn": utf16_column(end, d.end_column),
    }


def _folder_uri(folder: Path) -> str:
    return folder.as_uri().rstrip("/") + "/"


def document(report: Report) -> dict[str, Any]:
    index = {code: i for i, code in enumerate(RULES)}
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": quote(report.shown_path(d.path)),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": _region(report, d),
                    }
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        for d, fingerprint in zip(report.diagnostics, fingerprints(report), strict=True)
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vaultlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_rule(rule) for rule in RULES.values()],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": _folder_uri(report.base)}},
                "columnKind": "utf16CodeUnits",
                "results": results,
            }
        ],
    }


def write(report: Report, out: TextIO, colour: bool) -> None:
    json.dump(document(report), out, ensure_ascii=False, indent=2)
    out.write("\n")
