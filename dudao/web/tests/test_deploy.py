"""Deployment settings: DUDAO_HTTPS, the generated secret key, the Content-Security-Policy."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from dudao.lib.secret import secret_key_in

ROOT = Path(__file__).resolve().parents[3]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DUDAO_", "DATABASE_URL"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    env.update({"DUDAO_VAR_DIR": str(tmp_path / "var"), **extra})
    return env


def _dudao(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dudao", *args],
        env=_env(tmp_path, **env),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issue_with_https_and_no_key_given(tmp_path: Path) -> None:
    run = _dudao(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DUDAO_HTTPS="1",
        DUDAO_ALLOWED_HOSTS="dudao.example.gov.cn",
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues (0 silenced)." in run.stdout
    key_file = tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 50


def test_check_deploy_without_https_names_what_is_missing(tmp_path: Path) -> None:
    run = _dudao(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert run.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in run.stderr


def test_the_generated_key_is_kept_and_never_in_the_source(tmp_path: Path) -> None:
    source = (ROOT / "dudao" / "settings.py").read_text(encoding="utf-8")
    assert "insecure" not in source
    first = secret_key_in(tmp_path)
    assert secret_key_in(tmp_path) == first
    assert secret_key_in(tmp_path / "other") != first


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    with ProcessPoolExecutor(max_workers=6) as pool:
        keys = set(pool.map(secret_key_in, [tmp_path] * 24))
    assert len(keys) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left


HTTPS_PROBE = """
import django
django.setup()
from django.test import Client
c = Client()
r = c.get("/accounts/login/")
print("plain", r.status_code, r.get("Location"))
r = c.get("/accounts/login/", headers={"x-forwarded-proto": "https"})
print("proxied", r.status_code, r.get("Strict-Transport-Security"))
print("secure-cookie", bool(r.cookies["csrftoken"]["secure"]))
from django.conf import settings
print("session-age", settings.SESSION_COOKIE_AGE, settings.SESSION_COOKIE_SECURE)
"""


def test_behind_the_tls_proxy_cookies_are_secure_and_plain_http_is_redirected(
    tmp_path: Path,
) -> None:
    run = subprocess.run(
        [sys.executable, "-c", HTTPS_PROBE],
        env=_env(
            tmp_path,
            DJANGO_SETTINGS_MODULE="dudao.settings",
            DUDAO_HTTPS="1",
            DUDAO_SESSION_SECONDS="3600",
        ),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "plain 301 https://testserver/accounts/login/" in lines
    assert "proxied 200 max-age=31536000; includeSubDomains; preload" in lines
    assert "secure-cookie True" in lines
    assert "session-age 3600 True" in lines


@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy(client: Any) -> None:
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on…= handler"),
    (re.compile(r"\bhx-on", re.I), "hx-on (eval)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_what_the_policy_refuses() -> None:
    found = []
    for folder in ("templates", "jinja2"):
        for path in sorted((ROOT / "dudao" / folder).rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            found += [f"{path.name}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert found == []


def test_an_unwritable_var_dir_names_both_ways_out(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="DUDAO_SECRET_KEY"):
        secret_key_in(blocked / "var")
