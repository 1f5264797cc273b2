"""Password rules: Django's validators, with one message put back into Chinese."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2 asks for "…at least %d characters", but its zh_Hans catalogue translates
    the older "%(min_length)d" wording only, so the message would reach users in English.
    This asks for the wording the catalogue has."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
