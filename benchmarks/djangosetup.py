"""Shared by the benchmarks that need Django: a fresh SQLite database in a temporary folder."""

from __future__ import annotations

import os


def setup_django(var_dir: str) -> None:
    os.environ["DUDAO_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dudao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
