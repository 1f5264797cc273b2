"""The audit step of `make test`: a vulnerability or an unaudited package fails it, a
vulnerability service that cannot be reached at all gives one warning line and passes.
Fed pip-audit's real output formats, and run end to end with a stand-in pip-audit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from dudao.devtools.audit import classify

ROOT = Path(__file__).resolve().parents[3]


def _report(*dependencies: Mapping[str, object]) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


DJANGO_VULN: dict[str, object] = {
    "name": "django",
    "version": "4.2.0",
    "vulns": [{"id": "PYSEC-2023-61", "fix_versions": ["3.2.19", "4.1.9", "4.2.1"]}],
}
CLEAN: dict[str, object] = {"name": "polars", "version": "2.1.0", "vulns": []}
EDITABLE: dict[str, object] = {"name": "dudao", "skip_reason": "distribution marked as editable"}


def _missing(name: str) -> dict[str, object]:
    reason = f"Dependency not found on PyPI and could not be audited: {name} (1.0)"
    return {"name": name, "skip_reason": reason}


CONNECTION_TRACEBACK = textwrap.dedent("""\
    Traceback (most recent call last):
      File ".../pip_audit/_service/osv.py", line 70, in query
    requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443): \
    Max retries exceeded with url: /v1/query (Caused by NameResolutionError(...))
    """)


def test_a_known_vulnerability_fails_naming_the_package_and_the_fixed_version() -> None:
    verdict = classify(1, _report(CLEAN, DJANGO_VULN, _missing("x")), "Found 1 known vulnerability")
    assert verdict.kind == "vulnerable" and verdict.fails
    assert verdict.lines == ["django 4.2.0: PYSEC-2023-61 (fixed in 3.2.19, 4.1.9, 4.2.1)"]


def test_a_clean_report_passes_and_the_editable_project_is_not_counted() -> None:
    verdict = classify(0, _report(CLEAN, EDITABLE), "No known vulnerabilities found")
    assert verdict.kind == "clean" and not verdict.fails
    assert verdict.lines == ["1 packages audited"]


def test_a_package_the_service_does_not_know_fails_when_others_were_audited() -> None:
    verdict = classify(0, _report(CLEAN, _missing("private-lib"), EDITABLE), "")
    assert verdict.kind == "not_found" and verdict.fails
    assert verdict.lines[0].startswith("private-lib: Dependency not found on PyPI")


def test_every_package_not_found_is_an_unreachable_service_not_a_clean_audit() -> None:
    # a package-index mirror serving only /simple/: PyPI's JSON API answers 404 for all
    verdict = classify(0, _report(_missing("django"), _missing("polars"), EDITABLE), "")
    assert verdict.kind == "unreachable" and not verdict.fails


@pytest.mark.parametrize(
    "stderr",
    [
        CONNECTION_TRACEBACK,
        "ERROR:pip_audit._cli:Could not connect to PyPI's vulnerability feed\n"
        "Tip: your network may be blocking this service. Try another service with `-s SERVICE`",
    ],
)
def test_a_connection_error_is_unreachable(stderr: str) -> None:
    verdict = classify(1, None, stderr)
    assert verdict.kind == "unreachable" and not verdict.fails


def test_any_other_failure_of_pip_audit_fails() -> None:
    verdict = classify(1, None, "ERROR:pip_audit._cli:invalid requirements input: ???")
    assert verdict.kind == "error" and verdict.fails
    assert classify(2, "not json", "").kind == "error"


# --- end to end, with a stand-in pip-audit --------------------------------------------------

FAKE = """\
import json, sys
args = sys.argv[1:]
service = args[args.index("-s") + 1]
out = args[args.index("-o") + 1]
behaviour = json.loads({behaviour!r})[service]
if behaviour == "down":
    sys.stderr.write({traceback!r})
    sys.exit(1)
with open(out, "w") as fh:
    fh.write(json.dumps({{"dependencies": behaviour, "fixes": []}}))
sys.exit(1 if any(d.get("vulns") for d in behaviour) else 0)
"""


def _audit(tmp_path: Path, behaviour: dict[str, object]) -> subprocess.CompletedProcess[str]:
    fake = tmp_path / "pip-audit"
    body = FAKE.format(behaviour=json.dumps(behaviour), traceback=CONNECTION_TRACEBACK)
    fake.write_text(f"#!{sys.executable}\n{body}")
    fake.chmod(0o755)
    env = {**os.environ, "PIP_AUDIT": str(fake), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "dudao.devtools.audit"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_step_passes_with_one_warning_line_when_no_service_answers(tmp_path: Path) -> None:
    done = _audit(tmp_path, {"pypi": [_missing("django"), EDITABLE], "osv": "down"})
    assert done.returncode == 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: pip-audit skipped")
    assert "pypi: the service knows none of the 1 packages" in lines[0]
    assert "osv: requests.exceptions.ConnectionError" in lines[0]


def test_the_step_fails_on_a_vulnerability_found_by_osv_when_pypi_is_down(
    tmp_path: Path,
) -> None:
    done = _audit(tmp_path, {"pypi": "down", "osv": [CLEAN, DJANGO_VULN]})
    assert done.returncode == 1
    assert "pip-audit (osv): known vulnerabilities" in done.stderr
    assert "django 4.2.0: PYSEC-2023-61 (fixed in 3.2.19, 4.1.9, 4.2.1)" in done.stderr


def test_the_step_passes_when_pypi_audits_everything(tmp_path: Path) -> None:
    done = _audit(tmp_path, {"pypi": [CLEAN, EDITABLE], "osv": "down"})
    assert done.returncode == 0 and done.stderr == ""
    assert "pip-audit (pypi): no known vulnerabilities, 1 packages audited" in done.stdout
