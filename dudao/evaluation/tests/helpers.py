"""Shared steps of the evaluation tests: the demo files, uploads through the page."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dudao.engine import hegang_demo


@cache
def demo_files() -> dict[str, bytes]:
    return hegang_demo()


def csv_lines(name: str) -> list[str]:
    return demo_files()[name].decode("utf-8").splitlines()


def post_upload(client: Any, kind: str, year: int, region: str, name: str, data: bytes) -> Any:
    from dudao.regions.models import Region

    return client.post(
        reverse("evaluation-upload"),
        {
            "kind": kind,
            "year": year,
            "region": Region.objects.get(code=region).pk,
            "file": SimpleUploadedFile(name, data, content_type="text/csv"),
        },
    )


def upload_demo_year(client: Any, year: int) -> None:
    """鹤岗市's school data of `year` and county data of `year` and the year before."""
    files = demo_files()
    for kind, y in (("schools", year), ("counties", year - 1), ("counties", year)):
        name = f"{kind}_{y}.csv"
        response = post_upload(client, kind, y, "230400", name, files[name])
        assert response.status_code == 302, response.content.decode()[:2000]


def run(client: Any, year: int, region: str = "230400") -> Any:
    from dudao.evaluation.models import EvaluationRun
    from dudao.regions.models import Region

    response = client.post(
        reverse("evaluation-run-new"),
        {"region": Region.objects.get(code=region).pk, "year": year},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return EvaluationRun.objects.latest("id")


def text_of(data: bytes) -> io.StringIO:
    return io.StringIO(data.decode("utf-8-sig"))
