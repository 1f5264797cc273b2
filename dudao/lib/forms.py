"""The base of every Dudao form: text in is text that every output can hold.

Submitted values lose the characters a .docx/.xlsx cannot hold (`dudao.lib.chars`)
before any field sees them, so nothing saved through a form can later stop a letter or an
Excel export from being written; and every free-text field without a length of its own is
limited to `chars.MAX_LONG_TEXT`, well inside an Excel cell's 32,767 characters.
A test (dudao/web/tests/test_text_in.py) checks that every form in the project uses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from dudao.lib import chars


def cleaned_data_dict(data: Any) -> Any:
    """A copy of submitted data (QueryDict, MultiValueDict or a plain mapping) with every
    string value cleaned."""
    if isinstance(data, MultiValueDict):
        copy = QueryDict(mutable=True) if isinstance(data, QueryDict) else MultiValueDict()
        for key, values in data.lists():
            copy.setlist(chars.clean(key), [_clean(v) for v in values])
        return copy
    if isinstance(data, Mapping):
        return {key: _clean(value) for key, value in data.items()}
    return data


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return chars.clean(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    return value


class CleanForm(forms.Form):
    """forms.Form whose submitted text is cleaned and whose long texts are limited."""

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(cleaned_data_dict(data), *args, **kwargs)
        self.limit_long_texts()

    def limit_long_texts(self) -> None:
        """Give every CharField without a max_length the long-text limit (idempotent: forms
        that add fields after __init__ get it when they are cleaned)."""
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None:
                if field.widget.is_hidden:
                    continue  # the form's own bookkeeping, not text a user typed
                field.max_length = chars.MAX_LONG_TEXT
                field.validators.append(MaxLengthValidator(chars.MAX_LONG_TEXT))
                field.widget.attrs.setdefault("maxlength", str(chars.MAX_LONG_TEXT))

    def full_clean(self) -> None:
        self.limit_long_texts()
        super().full_clean()
