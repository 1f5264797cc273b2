"""`python -m dudao.devtools.audit`: pip-audit on the installed (pinned) dependencies, as a
step of `make test` that tells three outcomes apart:

- a known vulnerability, or a dependency the service answered about but does not know
  (it could not be audited): fail, naming the packages;
- no vulnerability service reachable: one `warning:` line, and pass, so that CI on a
  network without the services does not flake. "Unreachable" is a connection error,
  or a service that answered "not found" for every single package (a package-index mirror
  that serves only /simple/ and 404s PyPI's JSON API);
- every package audited, none vulnerable: pass.

PyPI's vulnerability feed is asked first, OSV when PyPI cannot be reached.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

SERVICES = ("pypi", "osv")
# What pip-audit (or requests, in a traceback it does not catch) says when it cannot connect.
UNREACHABLE = (
    "Could not connect to",
    "network may be blocking",
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Failed to establish a new connection",
    "ConnectTimeout",
    "ReadTimeout",
    "Read timed out",
    "is not redirecting properly",
)


@dataclass
class Verdict:
    kind: str  # "clean", "vulnerable", "not_found", "unreachable", "error"
    lines: list[str] = field(default_factory=list)

    @property
    def fails(self) -> bool:
        return self.kind in {"vulnerable", "not_found", "error"}


def classify(returncode: int, report: str | None, stderr: str) -> Verdict:
    """What one pip-audit run (`--format json -o FILE`, not --strict) found: its exit code,
    the JSON report it wrote (None when it wrote none) and its standard error."""
    try:
        dependencies = json.loads(report)["dependencies"] if report else None
    except (ValueError, KeyError, TypeError):
        dependencies = None
    if dependencies is None:
        if any(marker in stderr for marker in UNREACHABLE):
            last = next(
                (line for line in reversed(stderr.splitlines()) if line.strip()), "no answer"
            )
            return Verdict("unreachable", [last.strip()[:200]])
        tail = stderr.strip().splitlines()[-5:] or [f"pip-audit exited with {returncode}"]
        return Verdict("error", tail)
    vulnerable = [
        f"{d['name']} {d['version']}: {v['id']}"
        + (f" (fixed in {', '.join(v['fix_versions'])})" if v.get("fix_versions") else "")
        for d in dependencies
        for v in d.get("vulns", ())
    ]
    if vulnerable:
        return Verdict("vulnerable", vulnerable)
    audited = [d for d in dependencies if "version" in d]
    missing = [
        f"{d['name']}: {d['skip_reason']}"
        for d in dependencies
        if "not found" in d.get("skip_reason", "").lower()
    ]
    if missing and not audited:
        return Verdict("unreachable", [f"the service knows none of the {len(missing)} packages"])
    if missing:
        return Verdict("not_found", missing)
    if returncode != 0:
        tail = stderr.strip().splitlines()[-5:] or [f"pip-audit exited with {returncode}"]
        return Verdict("error", tail)
    return Verdict("clean", [f"{len(audited)} packages audited"])


def run_service(pip_audit: str, service: str, extra: Sequence[str]) -> Verdict:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.json"
        command = [pip_audit, "-s", service, "--skip-editable", "--progress-spinner", "off"]
        command += ["--timeout", "15", "--format", "json", "-o", str(out), *extra]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        report = out.read_text() if out.exists() else None
    return classify(done.returncode, report, done.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)
    pip_audit = os.environ.get("PIP_AUDIT") or str(Path(sys.executable).parent / "pip-audit")
    reasons: list[str] = []
    for service in SERVICES:
        verdict = run_service(pip_audit, service, extra)
        if verdict.kind == "unreachable":
            reasons.append(f"{service}: {verdict.lines[0][:120]}")
            continue
        if verdict.kind == "clean":
            sys.stdout.write(
                f"pip-audit ({service}): no known vulnerabilities, {verdict.lines[0]}\n"
            )
            return 0
        titles = {
            "vulnerable": "known vulnerabilities (pin the fixed version in pyproject.toml)",
            "not_found": "dependencies the service does not know (not audited)",
            "error": "pip-audit failed",
        }
        sys.stderr.write(f"pip-audit ({service}): {titles[verdict.kind]}:\n")
        for line in verdict.lines:
            sys.stderr.write(f"  {line}\n")
        return 1
    sys.stderr.write(
        "warning: pip-audit skipped, no vulnerability service reachable ("
        + "; ".join(reasons)
        + "); `make audit-strict` fails instead\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
