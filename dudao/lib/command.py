"""Base class for Dudao's management commands: errors print as one Chinese line."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class DudaoCommand(BaseCommand):
    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if not getattr(self, "_called_from_command_line", False):
                raise
            # One line, no class name, no traceback: a clerk or a script reads it.
            self.stderr.write(f"错误：{exc}")
            sys.exit(exc.returncode or 2)
