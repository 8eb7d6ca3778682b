"""Time vaultlint, and its peers when installed, on one benchmark vault in one run.

    python benchmarks/run.py [--notes 10000] [--source generated|tubegraph] [--repeat 3]
                             [--skip-peers] [--scales 1000,10000,100000]

Prints a Markdown table (tool, scenario, best wall time, runs, ratio to vaultlint's cold run,
peak RSS) and how the numbers compare with the targets of issue 6; progress goes to stderr.
Vaults are written once under `benchmarks/.vaults/` (git-ignored) and reused.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generate import copy_corpus, generate

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VAULTS = HERE / ".vaults"
PRE_COMMIT_NOTES = 5
LINTER_EXITS = (0, 1)  # clean, or problems found: both are a finished run


@dataclass
class Row:
    tool: str
    scenario: str
    times: list[float] = field(default_factory=list)
    rss: int = 0  # peak resident memory over the runs, in bytes
    failure: str = ""

    @property
    def wall(self) -> float:
        """Best of the runs: the machine may be shared, and other load only adds time."""
        return min(self.times)


# -- measuring one process -------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Resident memory of `root` and all its descendants now, in bytes (Linux; else 0)."""
    children: dict[int, list[int]] = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return 0
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        parent = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry))
    total, stack, page = 0, [root], os.sysconf("SC_PAGE_SIZE")
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * page
        except OSError:
            continue
        stack += children.get(pid, [])
    return total


def run_once(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, int, str]:
    """Run `cmd`; return wall seconds, peak RSS in bytes, exit code and the end of stderr.

    Peak RSS is the larger of the kernel's figure for the biggest single process (wait4) and
    the sum over the whole process tree, sampled every 50 ms (so worker pools count in full)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        peak, done = [0], threading.Event()

        def sample() -> None:
            while not done.wait(0.05):
                peak[0] = max(peak[0], _tree_rss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-2000:]
    kernel_peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return seconds, max(kernel_peak, peak[0]), proc.returncode, tail


def measure(
    tool: str,
    scenario: str,
    cmd: list[str],
    cwd: Path,
    args: argparse.Namespace,
    env: dict[str, str] | None = None,
    before: Callable[[int], None] | None = None,
) -> Row:
    """Run `cmd` `--repeat` times (once more only while a run takes under `--max-seconds`)."""
    row = Row(tool, scenario)
    for n in range(args.repeat):
        if before:
            before(n)
        print(f"  {tool} {scenario} ({n + 1}/{args.repeat})", file=sys.stderr, flush=True)
        seconds, rss, code, stderr = run_once(cmd, cwd, env or dict(os.environ))
        if code not in LINTER_EXITS:
            row.failure = f"exit {code}"
            print(f"{' '.join(cmd)} exited {code}:\n{stderr}", file=sys.stderr)
            return row
        row.times.append(seconds)
        row.rss = max(row.rss, rss)
        if seconds > args.max_seconds:
            break
    return row


# -- vaults ------------------------------------------------------------------------------------


def vault_for(source: str, notes: int, seed: int, vaults: Path) -> tuple[Path, dict]:
    """The benchmark vault for these settings, written on first use; and its description."""
    name = f"{source}-{notes}" + (f"-seed{seed}" if source == "generated" else "")
    root, ready = vaults / name, vaults / f"{name}.json"
    if ready.exists() and root.is_dir():
        return root, json.loads(ready.read_text())
    shutil.rmtree(root, ignore_errors=True)
    print(f"writing {notes} {source} notes to {root}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    if source == "generated":
        generate(root, notes, seed)
    else:
        copy_corpus(root, notes)
    size = sum(p.stat().st_size for p in root.rglob("*.md"))
    info = {"source": source, "notes": notes, "bytes": size}
    info["seconds to write"] = round(time.perf_counter() - start, 2)
    ready.write_text(json.dumps(info) + "\n")
    return root, info


def changed_notes(root: Path) -> list[str]:
    """The notes a pre-commit run is given: evenly spread over the sorted vault."""
    notes = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
    count = min(PRE_COMMIT_NOTES, len(notes))
    return [notes[len(notes) * (2 * n + 1) // (2 * count)] for n in range(count)]


class Edits:
    """Change the pre-commit notes before each run (content and mtime); restore them after."""

    def __init__(self, root: Path, paths: list[str]) -> None:
        self.files = {root / p: (root / p).read_bytes() for p in paths}

    def __call__(self, n: int) -> None:
        for path, original in self.files.items():
            path.write_bytes(original + f"\n<!-- benchmark edit {n} -->\n".encode())

    def restore(self) -> None:
        for path, original in self.files.items():
            path.write_bytes(original)


def pre_commit(
    tool: str,
    base: list[str],
    root: Path,
    args: argparse.Namespace,
    env: dict[str, str] | None = None,
    literal: str = "",
) -> Row:
    """Time `base` on the changed notes (each path prefixed with `literal`), edited afresh
    before each run."""
    paths = changed_notes(root)
    edits = Edits(root, paths)
    try:
        cmd = [*base, *(literal + p for p in paths)]
        return measure(tool, "pre-commit", cmd, root, args, env, before=edits)
    finally:
        edits.restore()


# -- tools -------------------------------------------------------------------------------------


def find_tool(name: str) -> str | None:
    """`name` from benchmarks/node_modules, this Python's scripts folder, or PATH."""
    for folder in (HERE / "node_modules" / ".bin", Path(sys.executable).parent):
        if (folder / name).is_file():
            return str(folder / name)
    return shutil.which(name)


def version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout
    except OSError:
        return "?"
    return out.strip().splitlines()[0] if out.strip() else "?"


def vaultlint_rows(root: Path, args: argparse.Namespace, scenarios: bool = True) -> list[Row]:
    # Bytecode, as `pip install` writes it: with PYTHONDONTWRITEBYTECODE set (as on some CI
    # machines) each run would otherwise compile the package again, 0.1 s a run here.
    compileall.compile_dir(REPO / "vaultlint", quiet=1)
    path = [str(REPO), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    base = [sys.executable, "-m", "vaultlint", "check", *args.vaultlint_args.split()]
    cache = root / ".vaultlint_cache"
    shutil.rmtree(cache, ignore_errors=True)
    rows = [measure("vaultlint", "cold", [*base, "--no-cache"], root, args, env)]
    if not scenarios:
        return rows
    print("  vaultlint: filling the cache", file=sys.stderr, flush=True)
    run_once(base, root, env)
    rows.append(measure("vaultlint", "warm", base, root, args, env))
    rows.append(pre_commit("vaultlint", base, root, args, env))
    return rows


def rumdl_rows(root: Path, work: Path, args: argparse.Namespace) -> list[Row]:
    exe = find_tool("rumdl")
    if exe is None:
        print("rumdl: not installed (pip install rumdl); skipped", file=sys.stderr)
        return []
    base = [exe, "check", "--no-config", "--disable", "MD013,MD033", "--respect-gitignore=false"]
    cache = work / "rumdl-cache"
    shutil.rmtree(cache, ignore_errors=True)
    rows = [measure("rumdl", "cold", [*base, "--no-cache", "."], root, args)]
    warm = [*base, "--cache-dir", str(cache)]
    run_once([*warm, "."], root, dict(os.environ))
    rows.append(measure("rumdl", "warm", [*warm, "."], root, args))
    rows.append(pre_commit("rumdl", warm, root, args))
    return rows


def markdownlint_rows(root: Path, work: Path, args: argparse.Namespace) -> list[Row]:
    exe = find_tool("markdownlint-cli2")
    if exe is None:
        print(
            "markdownlint-cli2: not installed (npm install --prefix benchmarks); skipped",
            file=sys.stderr,
        )
        return []
    config = work / ".markdownlint-cli2.jsonc"
    config.write_text(json.dumps({"config": {"MD013": False, "MD033": False}}) + "\n")
    base = [exe, "--config", str(config)]
    rows = [measure("markdownlint-cli2", "cold", [*base, "**/*.md"], root, args)]
    rows.append(pre_commit("markdownlint-cli2", base, root, args, literal=":"))
    return rows


# -- report ------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def _seconds(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


def table(rows: list[Row]) -> str:
    cold = next(
        (r for r in rows if r.tool == "vaultlint" and r.scenario == "cold" and r.times), None
    )
    lines = [
        "| tool | scenario | wall s (best) | runs | ÷ vaultlint cold | peak RSS MB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.failure:
            lines.append(f"| {r.tool} | {r.scenario} | {r.failure} | | | |")
            continue
        ratio = f"{r.wall / cold.wall:.3g}" if cold else ""
        lines.append(
            f"| {r.tool} | {r.scenario} | {_seconds(r.wall)} | {len(r.times)} | {ratio} "
            f"| {r.rss / 2**20:.0f} |"
        )
    return "\n".join(lines)


def targets(rows: list[Row]) -> list[str]:
    """Issue 6's targets that these rows can answer, each marked met or not."""
    wall = {(r.tool, r.scenario): r.wall for r in rows if r.times}
    cold = wall.get(("vaultlint", "cold"))
    if cold is None:
        return []
    checks: list[tuple[str, bool]] = []
    if ("rumdl", "cold") in wall:
        checks.append(("cold no slower than rumdl cold", cold <= wall["rumdl", "cold"]))
    if ("markdownlint-cli2", "cold") in wall:
        mdl = wall["markdownlint-cli2", "cold"]
        checks.append(
            (
                f"cold at least 20x faster than markdownlint-cli2 ({mdl / cold:.1f}x)",
                cold * 20 <= mdl,
            )
        )
    if ("vaultlint", "warm") in wall:
        warm = wall["vaultlint", "warm"]
        checks.append((f"warm under 10% of cold ({warm / cold:.0%})", warm < cold * 0.1))
        if ("rumdl", "warm") in wall:
            checks.append(("warm no slower than rumdl warm", warm <= wall["rumdl", "warm"]))
    if ("vaultlint", "pre-commit") in wall:
        pre = wall["vaultlint", "pre-commit"]
        checks.append((f"pre-commit under 0.5 s ({pre:.2f} s)", pre < 0.5))
        checks.append((f"pre-commit under 15% of cold ({pre / cold:.0%})", pre < cold * 0.15))
    return [f"- {'met' if ok else 'NOT met'}: {what}" for what, ok in checks]


def curve(points: list[tuple[dict, Row]]) -> str:
    lines = [
        "| notes | vault MB | wall s (best) | runs | s per 1,000 notes | peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for info, r in points:
        if r.failure:
            lines.append(f"| {info['notes']:,} | {info['bytes'] / 1e6:.0f} | {r.failure} | | | |")
            continue
        lines.append(
            f"| {info['notes']:,} | {info['bytes'] / 1e6:.0f} | {_seconds(r.wall)} | "
            f"{len(r.times)} | {r.wall / info['notes'] * 1000:.3f} | {r.rss / 2**20:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000, help="notes in the vault")
    parser.add_argument("--source", choices=("generated", "tubegraph"), default="generated")
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario (the best counts)")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=60,
        help="stop repeating a scenario once one run takes longer than this",
    )
    parser.add_argument("--skip-peers", action="store_true", help="time vaultlint only")
    parser.add_argument(
        "--scales",
        type=lambda s: [int(n) for n in s.split(",")],
        default=[],
        help="also time vaultlint cold at these vault sizes (comma list): the growth curve",
    )
    parser.add_argument("--vaultlint-args", default="", help="extra arguments for vaultlint check")
    parser.add_argument("--vaults", type=Path, default=VAULTS, help="where vaults are kept")
    args = parser.parse_args(argv)
    args.vaults.mkdir(parents=True, exist_ok=True)

    root, info = vault_for(args.source, args.notes, args.seed, args.vaults)
    load = os.getloadavg()[0]
    work = args.vaults / f"{root.name}.work"
    work.mkdir(exist_ok=True)
    rows = vaultlint_rows(root, args)
    if not args.skip_peers:
        rows += rumdl_rows(root, work, args) + markdownlint_rows(root, work, args)

    tools = [f"vaultlint {version([sys.executable, '-m', 'vaultlint', '--version']).split()[-1]}"]
    if not args.skip_peers:
        for name, flag in (("rumdl", "--version"), ("markdownlint-cli2", "--help")):
            if exe := find_tool(name):
                tools.append(version([exe, flag]).split(" (")[0])
    print(
        f"{info['notes']:,} {info['source']} notes, {info['bytes'] / 1e6:.0f} MB; "
        f"{machine()}; {', '.join(tools)}; load average {load:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after\n"
    )
    print(table(rows))
    if checks := targets(rows):
        print("\nTargets of issue 6:\n" + "\n".join(checks))

    if args.scales:
        points = []
        for notes in args.scales:
            scale_root, scale_info = vault_for(args.source, notes, args.seed, args.vaults)
            points.append((scale_info, vaultlint_rows(scale_root, args, scenarios=False)[0]))
        print(f"\nGrowth, vaultlint cold ({args.source} notes):\n\n{curve(points)}")
    failed = [r for r in rows if r.failure]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
