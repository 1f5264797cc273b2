"""Generating official documents from the ledger: content (round trip through the parser),
文号 suggestion and refusal, versions, access, PDF and the documents page."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from dudao.audit.models import AuditEvent
from dudao.documents import generation
from dudao.documents.models import OfficialDocument
from dudao.parser import parse_file
from dudao.rectification import services
from dudao.rectification.models import Item

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parents[2] / "parser" / "tests" / "corpus" / "suibin-2024-17.txt"
NEW = reverse("document-new")


@dataclass
class Sample:
    round: Any
    report: Any

    @property
    def pk(self) -> int:
        return int(self.round.pk)


@pytest.fixture
def sample(personas: dict[str, Any], regions: dict[str, Any]) -> Any:
    """A round whose 15 problems are those of 绥政函〔2024〕17号 (read by the parser), with
    绥滨县's outcomes from the letter and 萝北县 assigned the same problems."""
    report = parse_file(CORPUS.read_bytes(), CORPUS.name)
    province, suibin = personas["province"], personas["suibin"]
    rnd = services.round_create(
        acting_user=province,
        year=2023,
        evaluating_region=regions["230000"],
        evaluated_region=regions["230400"],
        title="省对鹤岗市人民政府履行教育职责评价",
    )
    outcomes = {}
    for section in report.sections:
        for p in section.problems:
            problem = services.problem_add(
                acting_user=province,
                rnd=rnd,
                dimension=section.title.removesuffix("方面"),
                statement=p.problem,
            )
            outcomes[problem.pk] = p.measures
    problems = list(rnd.problems.order_by("order"))
    for code, lead in (("230422", "绥滨县教育局"), ("230421", "萝北县教育局")):
        services.items_assign(
            acting_user=province,
            rnd=rnd,
            problems=problems,
            regions=[regions[code]],
            deadline=datetime.date(2024, 6, 30),
            lead_unit=lead,
        )
    for item in Item.objects.filter(region__code="230422").select_related("region"):
        services.item_update(
            acting_user=suibin,
            item=item,
            expected_version=item.version,
            outcome=outcomes[item.problem_id],
        )
    return Sample(rnd, report)


def _query(rnd: Any, region: str, kind: str) -> str:
    return f"{NEW}?round={rnd.pk}&region={region}&kind={kind}"


def _post(client: Any, rnd: Any, region: str, kind: str, **changes: Any) -> Any:
    """Submit the generate form with its defaults, changed by `changes`."""
    page = client.get(_query(rnd, region, kind))
    assert page.status_code == 200, page.content.decode()
    data = {
        name: field.value() or ""
        for name, field in ((n, page.context["form"][n]) for n in page.context["form"].fields)
    }
    if isinstance(data["date"], datetime.date):
        data["date"] = data["date"].isoformat()
    data.update(changes)
    return client.post(_query(rnd, region, kind), data)


def _download(client: Any, document: OfficialDocument) -> bytes:
    response = client.get(reverse("document-download", args=[document.pk, "docx"]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_generated_report_parses_back_to_the_ledger(sample: Any, client_for: Any) -> None:
    clerk = client_for("suibin")
    response = _post(
        clerk, sample, "230422", "rectification", doc_number="绥政函〔2024〕17号", date="2024-05-28"
    )
    assert response.status_code == 302
    document = OfficialDocument.objects.get()
    parsed = parse_file(_download(clerk, document), "report.docx")
    expected = sample.report
    assert [s.title for s in parsed.sections] == [s.title for s in expected.sections]
    assert [(p.problem, p.measures) for p in parsed.problems] == [
        (p.problem, p.measures) for p in expected.problems
    ]
    assert len(parsed.problems) == 15
    assert parsed.doc_number == "绥政函〔2024〕17号"
    assert parsed.recipient == "鹤岗市人民政府教育督导委员会"
    assert parsed.title == "绥滨县人民政府关于2023年履行教育职责评价中存在问题整改情况报告的函"
    assert parsed.issuer.startswith("绥滨县人民政府")


def test_the_form_starts_from_sensible_defaults(sample: Any, client_for: Any) -> None:
    today = services.today()
    page = client_for("suibin").get(_query(sample, "230422", "rectification"))
    form = page.context["form"]
    assert form["issuer"].value() == "绥滨县人民政府"
    assert form["recipient"].value() == "鹤岗市人民政府教育督导委员会"
    assert form["date"].value() == today
    assert form["doc_number"].value() == f"绥政函〔{today.year}〕1号"
    assert "我县高度重视" in form["preamble"].value()
    body = page.content.decode()
    assert "教育优先发展方面（4 个问题）" in body


def test_the_doc_number_suggested_is_the_next_free_one_of_the_year(
    sample: Any, client_for: Any
) -> None:
    year = services.today().year
    for number in (f"绥政函〔{year}〕17号", f"绥政函〔{year}〕9号", f"绥政函〔{year - 1}〕40号"):
        OfficialDocument.objects.create(
            kind="other",
            origin="imported",
            doc_number=number,
            title=number,
            stored_name=f"x/{number}",
            original_name="x.docx",
            sha256="0" * 64,
            size=1,
            content_type="text/plain",
        )
    OfficialDocument.objects.filter(doc_number__contains="40号").update(
        doc_number=f"鹤教督函〔{year}〕40号"
    )
    form = client_for("suibin").get(_query(sample, "230422", "rectification")).context["form"]
    assert form["doc_number"].value() == f"绥政函〔{year}〕18号"
    hegang = client_for("hegang").get(_query(sample, "230422", "feedback")).context["form"]
    assert hegang["doc_number"].value() == f"鹤教督函〔{year}〕41号"
    assert hegang["recipient"].value() == "绥滨县人民政府"


def test_a_doc_number_used_by_another_document_is_refused(sample: Any, client_for: Any) -> None:
    _post(
        client_for("luobei"),
        sample,
        "230421",
        "rectification",
        doc_number="萝政函〔2024〕5号",
        date="2024-05-28",
    )
    response = _post(
        client_for("suibin"),
        sample,
        "230422",
        "rectification",
        doc_number="萝政函[2024]05号",
        date="2024-05-28",
    )
    assert response.status_code == 400
    body = response.content.decode()
    # 萝北县's letter is not 绥滨县's to see: neither its title nor how many 萝政函 there are.
    assert "文号“萝政函〔2024〕5号”已被其他公文使用，请改用其他文号。" in body
    assert "《萝北县" not in body
    assert "萝政函〔2024〕6号" not in body
    assert OfficialDocument.objects.count() == 1
    assert AuditEvent.objects.filter(action="document_generate").count() == 1


def test_a_clash_the_user_may_see_names_the_document_and_the_next_number(
    sample: Any, client_for: Any
) -> None:
    clerk = client_for("suibin")
    day = "2024-05-28"  # a 文号's year is its date's
    _post(clerk, sample, "230422", "rectification", doc_number="绥政函〔2024〕5号", date=day)
    response = _post(
        client_for("hegang"),
        sample,
        "230422",
        "feedback",
        doc_number="绥政函〔2024〕5号",
        date=day,
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "文号“绥政函〔2024〕5号”已被《绥滨县人民政府关于" in body
    assert "可用：绥政函〔2024〕6号" in body


def test_each_generation_is_a_new_version_kept_and_audited(
    sample: Any, client_for: Any, personas: Any
) -> None:
    clerk = client_for("suibin")
    _post(
        clerk, sample, "230422", "rectification", doc_number="绥政函〔2024〕7号", date="2024-05-28"
    )
    page = clerk.get(_query(sample, "230422", "rectification"))
    # dated today, the next version is numbered in today's year: a 文号's year is its date's
    year = services.today().year
    assert page.context["form"]["doc_number"].value() == f"绥政函〔{year}〕1号"
    response = _post(
        clerk,
        sample,
        "230422",
        "rectification",
        closing="继续巩固整改成果。",
        doc_number="绥政函〔2024〕7号",
        date="2024-06-01",
    )
    assert response.status_code == 302
    first, second = OfficialDocument.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert second.doc_number == "绥政函〔2024〕7号"
    assert second.origin == "generated" and second.kind == "rectification"
    assert second.round == sample.round
    assert second.region is not None and second.region.code == "230422"
    assert first.sha256 != second.sha256 and second.size > 10_000
    assert second.data["closing"] == "继续巩固整改成果。"
    assert len(second.data["items"]) == 15
    text = "\n".join(p.text for p in Document(io.BytesIO(_download(clerk, second))).paragraphs)
    assert "五、下一步打算" in text and "继续巩固整改成果。" in text
    events = AuditEvent.objects.filter(action="document_generate").order_by("id")
    assert [(e.actor, e.target_id) for e in events] == [
        (personas["suibin"], first.pk),
        (personas["suibin"], second.pk),
    ]
    listing = clerk.get(reverse("documents")).content.decode()
    assert "第2版" in listing and "第1版" in listing and "绥政函〔2024〕7号" in listing


def test_the_feedback_letter_and_summary_carry_deadlines_units_and_counts(
    sample: Any, client_for: Any
) -> None:
    hegang = client_for("hegang")
    assert _post(hegang, sample, "230422", "feedback").status_code == 302
    assert _post(hegang, sample, "230400", "summary").status_code == 302
    feedback, summary = OfficialDocument.objects.order_by("id")
    letter = "\n".join(p.text for p in Document(io.BytesIO(_download(hegang, feedback))).paragraphs)
    assert "（一）普通高中理科实验室设施设备更新缓慢" in letter
    assert letter.count("牵头单位：绥滨县教育局") == 15
    assert "整改时限：2024年6月30日" in letter
    doc = Document(io.BytesIO(_download(hegang, summary)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "本轮共涉及2个县（市、区），反馈问题30个" in text
    assert "（一）萝北县" in text and "（二）绥滨县" in text
    county_rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert county_rows[1][:2] == ["萝北县", "15"] and county_rows[-1][:2] == ["合计", "30"]


@pytest.mark.parametrize(
    ("persona", "region", "kind", "status"),
    [
        ("luobei", "230422", "rectification", 404),
        ("viewer", "230422", "rectification", 403),
        ("suibin", "230422", "feedback", 403),
        ("suibin_supervisor", "230422", "feedback", 403),
        ("suibin", "230400", "summary", 404),
        ("viewer", "230400", "summary", 403),
        ("hegang", "230422", "rectification", 200),
        ("suibin_supervisor", "230422", "rectification", 200),
    ],
)
def test_only_users_who_may_generate_reach_the_form(
    sample: Any, client_for: Any, persona: str, region: str, kind: str, status: int
) -> None:
    response = client_for(persona).get(_query(sample, region, kind))
    assert response.status_code == status
    post = client_for(persona).post(_query(sample, region, kind), {"issuer": "x"})
    assert post.status_code == (400 if status == 200 else status)
    assert not OfficialDocument.objects.exists()


def test_downloads_follow_who_may_see_the_region(sample: Any, client_for: Any) -> None:
    _post(client_for("suibin"), sample, "230422", "rectification")
    document = OfficialDocument.objects.get()
    url = reverse("document-download", args=[document.pk, "docx"])
    assert client_for("luobei").get(url).status_code == 404
    assert client_for("nobody").get(url).status_code == 404
    viewer = client_for("viewer").get(url)
    assert viewer.status_code == 200
    assert viewer["Content-Type"] == generation.DOCX_TYPE
    assert "filename*=utf-8''" in viewer["Content-Disposition"]
    assert "绥政函" not in client_for("luobei").get(reverse("documents")).content.decode()
    assert "绥政函" in client_for("viewer").get(reverse("documents")).content.decode()


def test_without_libreoffice_the_page_offers_the_docx(
    sample: Any, client_for: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("dudao.writers.libreoffice_path", lambda: None)
    clerk = client_for("suibin")
    _post(clerk, sample, "230422", "rectification")
    document = OfficialDocument.objects.get()
    page = clerk.get(reverse("documents")).content.decode()
    assert "本机未安装 LibreOffice，无法生成 PDF，请下载 Word 版（.docx）" in page
    assert reverse("document-download", args=[document.pk, "pdf"]) not in page
    assert reverse("document-download", args=[document.pk, "docx"]) in page
    response = clerk.get(reverse("document-download", args=[document.pk, "pdf"]))
    assert response.status_code == 503
    assert "请下载 Word 版（.docx）" in response.content.decode()


@pytest.mark.skipif(not generation.pdf_available(), reason="no LibreOffice")
def test_the_pdf_is_converted_once_and_kept(sample: Any, client_for: Any, media: Path) -> None:
    clerk = client_for("suibin")
    _post(clerk, sample, "230422", "rectification")
    document = OfficialDocument.objects.get()
    url = reverse("document-download", args=[document.pk, "pdf"])
    assert url in clerk.get(reverse("documents")).content.decode()
    response = clerk.get(url)
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    assert (media / "documents" / "pdf" / f"{document.sha256}.pdf").read_bytes() == pdf


def test_the_list_page_takes_a_constant_number_of_queries(
    sample: Any, client_for: Any, personas: Any
) -> None:
    hegang = client_for("hegang")
    _post(hegang, sample, "230422", "feedback")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert hegang.get(reverse("documents")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(3):
        _post(hegang, sample, "230422", "feedback")
    _post(hegang, sample, "230421", "feedback")
    assert count() == few


def test_a_notice_carries_its_report_back_date_contact_and_copy_and_the_office_remembers(
    sample: Any, client_for: Any
) -> None:
    hegang = client_for("hegang")
    response = _post(
        hegang,
        sample,
        "230422",
        "feedback",
        report_by="2024-08-31",
        contact="王建国",
        phone="0468-6121234",
        copy_to="鹤岗市教育局",
    )
    assert response.status_code == 302
    (notice,) = OfficialDocument.objects.all()
    lines = [p.text for p in Document(io.BytesIO(_download(hegang, notice))).paragraphs]
    assert "请于2024年8月31日前将整改情况书面报送我单位。" in lines
    assert lines.index("特此通知。") < lines.index("（联系人：王建国，电话：0468-6121234）")
    assert lines[-1] == "抄送：鹤岗市教育局。"
    # The next letter from the same office starts with the same 附注 and 抄送.
    form = hegang.get(_query(sample.round, "230422", "feedback")).context["form"]
    assert form["contact"].value() == "王建国" and form["phone"].value() == "0468-6121234"
    assert form["copy_to"].value() == "鹤岗市教育局"
    assert "report_by" in form.fields


def test_the_county_report_keeps_its_next_steps_and_closing_line(
    sample: Any, client_for: Any
) -> None:
    clerk = client_for("suibin")
    response = _post(clerk, sample, "230422", "rectification", closing="继续巩固整改成果。")
    assert response.status_code == 302
    (report,) = OfficialDocument.objects.all()
    lines = [p.text for p in Document(io.BytesIO(_download(clerk, report))).paragraphs]
    assert lines[lines.index("五、下一步打算") + 1] == "继续巩固整改成果。"
    assert "特此函告。" in lines
    form = clerk.get(_query(sample.round, "230422", "rectification")).context["form"]
    assert form["closing"].value() == "继续巩固整改成果。"
