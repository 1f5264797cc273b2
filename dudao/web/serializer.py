"""Django's JSON serializer, keeping datetimes to the microsecond.

Django's encoder cuts datetimes to milliseconds (`DjangoJSONEncoder`, for ECMAScript), so a
dump loaded back would differ from the database it came from: every `updated_at` of the
ledger export would change. The backup's logical dump uses this one; Django's own JSON
deserializer reads it (`loaddata`), as it reads any ISO 8601 datetime.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder

NAME = "dudaojson"


class Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self) -> None:
        self.options.setdefault("cls", Encoder)
        super()._init_options()  # type: ignore[misc]


Deserializer = django_json.Deserializer
