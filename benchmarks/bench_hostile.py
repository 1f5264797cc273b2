"""Each hostile file of issue 9 against a running `dudao serve` (demo database in a temporary
DUDAO_VAR_DIR), as the user who found it: status, the start of the message, seconds, the
peak RSS of the server process and of the reading child processes, and whether the server
still answers afterwards.

    .venv/bin/python benchmarks/bench_hostile.py [--port 8091]
"""

from __future__ import annotations

import argparse
import html
import http.client
import http.cookiejar
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from dudao.engine import synth
from dudao.lib import hostile

ROOT = Path(__file__).resolve().parent.parent
DUDAO = [sys.executable, "-m", "dudao"]
PASSWORD = "dudao2024"


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


class Sampler(threading.Thread):
    """Peak RSS of the server and of its largest descendant while a request runs."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.server = self.worker = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.server = max(self.server, rss_kb(self.pid))
            for child in descendants(self.pid):
                self.worker = max(self.worker, rss_kb(child))
            time.sleep(0.02)


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.sent_at = 0.0  # when the last request started to go out (its body built)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value or "" for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=300) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> Any:
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in {"csrfmiddlewaretoken": self.csrf(), **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, data) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            )
            parts.append(head.encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        if len(body) > 8 << 20:
            return self.stream(path, boundary, body)
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self.base + path,
            },
        )
        self.sent_at = time.monotonic()
        try:
            with self.opener.open(request, timeout=300) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def stream(self, path: str, boundary: str, body: bytes) -> tuple[int, bytes]:
        """Send a large body a megabyte at a time, as a browser does, and stop as soon as
        the server answers (waitress refuses a body past its limit from the headers)."""
        url = urllib.parse.urlsplit(self.base)
        connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=300)
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        connection.putheader("Content-Length", str(len(body)))
        connection.putheader("Referer", self.base + path)
        connection.putheader("Cookie", "; ".join(f"{c.name}={c.value}" for c in self.jar))
        self.sent_at = time.monotonic()
        connection.endheaders()
        view = memoryview(body)
        try:
            for at in range(0, len(body), 1 << 20):
                if select.select([connection.sock], [], [], 0)[0]:
                    break  # answered before the whole body was sent
                connection.send(view[at : at + (1 << 20)])
        except OSError:
            pass  # closed after answering
        response = connection.getresponse()
        try:
            return response.status, response.read()
        finally:
            connection.close()

    def login(self, username: str) -> None:
        self.get("/accounts/login/")
        status, _ = self.post("/accounts/login/", {"username": username, "password": PASSWORD}, {})
        assert status in (200, 302), status


def message_of(page: bytes) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.decode("utf-8", "replace")))
    keys = ("共发现", "超过系统", "上限", "损坏", "必须是", "第200000行", "没有需要更新",
            "导入预览", "不是 CSV", "空字符", "无法识别")  # fmt: skip
    for key in keys:
        at = text.find(key)
        if at >= 0:
            line = " ".join(text[max(0, at - 30) : at + 40].split())
            return line
    return " ".join(text.split())[:80]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8091)
    port = parser.parse_args().port
    var = tempfile.mkdtemp(prefix="dudao-hostile-")
    env = {**os.environ, "DUDAO_VAR_DIR": var, "DUDAO_NEW_PASSWORD": PASSWORD}
    run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True}
    subprocess.run([*DUDAO, "demo", "--no-serve"], **run)  # type: ignore[call-overload]
    subprocess.run(  # type: ignore[call-overload]
        [*DUDAO, "user-add", "viewer", "--region", "230400", "--role", "viewer"], **run
    )
    server = subprocess.Popen(
        [*DUDAO, "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        attacks(base, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)


def attacks(base: str, pid: int) -> None:
    viewer, suibin = Browser(base), Browser(base)
    viewer.login("viewer")
    suibin.login("suibin")
    _, export = suibin.get("/documents/ledger.xlsx")
    sheet = "xl/worksheets/sheet1.xml"
    _, upload_page = suibin.get("/imports/")
    round_id = re.findall(rb'<option value="(\d+)"', upload_page)[0].decode()
    long_pdf = (ROOT / "dudao/parser/tests/corpus/long-20-pages.pdf").read_bytes()

    def system_number_1e20(xml: bytes) -> bytes:
        return re.sub(rb'(<c r="O3"[^>]*>)<v>\d+</v>', rb"\1<v>1e20</v>", xml)

    cases: list[tuple[str, str, Browser, str, dict[str, str], str, bytes]] = [
        ("A1+B1000000000 .xlsx", "viewer", viewer, "/documents/ledger/import/", {},
         "台账.xlsx", hostile.far_cell_xlsx()),
        ("cell moved to row 200,000", "viewer", viewer, "/documents/ledger/import/", {},
         "台账.xlsx", hostile.moved_cell(export, sheet, 200_000, "C")),
        ("corrupt deflate .xlsx", "suibin", suibin, "/documents/ledger/import/", {},
         "台账.xlsx", hostile.corrupt_deflate(export, sheet)),
        ("系统编号 1e20", "suibin", suibin, "/documents/ledger/import/", {},
         "台账.xlsx", hostile._edit(export, sheet, system_number_1e20)),
        ("indicator A1+B1000000000", "suibin", suibin, "/evaluation/upload/",
         {"kind": "schools", "year": "2023", "region": ""}, "学校.xlsx",
         hostile.far_cell_xlsx()),
        ("docx → 1.2 GB zip bomb", "suibin", suibin, "/imports/",
         {"round": round_id, "region": "230422"}, "炸弹.docx", hostile.zip_bomb_docx()),
        ("docx lying about its size", "suibin", suibin, "/imports/",
         {"round": round_id, "region": "230422"}, "谎报.docx",
         hostile.zip_bomb_docx(256 << 20, declared=1000)),
        ("5,000-page PDF", "suibin", suibin, "/imports/",
         {"round": round_id, "region": "230422"}, "5000页.pdf", hostile.many_pages_pdf()),
        ("20-page PDF (legitimate)", "suibin", suibin, "/imports/",
         {"round": round_id, "region": "230422"}, "报告.pdf", long_pdf),
    ]  # fmt: skip
    upload = {"kind": "schools", "year": "2023", "region": ""}
    one_gb = 1_000_000_000 - len(hostile.CSV_HEADER)  # waitress refuses a body past 1 GiB
    cases += [
        ("csv: 1 GB of one line", "suibin", suibin, "/evaluation/upload/", upload, "学校.csv",
         hostile.one_line_csv(one_gb)),
        ("csv: 150 MB of one line", "suibin", suibin, "/evaluation/upload/", upload, "学校.csv",
         hostile.one_line_csv(150 << 20)),
        ("csv: 2,000,000 columns", "suibin", suibin, "/evaluation/upload/", upload, "学校.csv",
         hostile.wide_csv(2_000_000)),
        ("csv: 64 MB of NUL", "suibin", suibin, "/evaluation/upload/", upload, "学校.csv",
         hostile.nul_csv(64 << 20)),
        ("csv: neither UTF-8 nor GBK", "suibin", suibin, "/evaluation/upload/", upload,
         "学校.csv", hostile.undecodable_csv(100_000)),
        ("csv: gzip → 1 GB", "suibin", suibin, "/evaluation/upload/", upload, "学校.csv",
         hostile.gzip_csv(1 << 30)),
        ("csv: A1+B1000000000 .xlsx", "suibin", suibin, "/evaluation/upload/", upload,
         "学校.csv", hostile.far_cell_xlsx()),
        ("csv: 210,000 schools, national", "suibin", suibin, "/evaluation/upload/", upload,
         "学校.csv", synth(2850, 210_000, [2023], seed=1)["schools_2023.csv"]),
        ("csv: 10,000,000 rows", "suibin", suibin, "/evaluation/upload/", upload, "学校.csv",
         hostile.many_rows_csv(10_000_000)),
    ]  # fmt: skip
    _, evaluation = suibin.get("/evaluation/")
    region = re.search(rb'name="region"[^>]*>\s*(?:<option[^>]*>[^<]*</option>\s*)*?'
                       rb'<option value="(\d+)"', evaluation)  # fmt: skip
    heads = ("attack", "user", "code", "s", "server MB", "worker MB")
    print("{:28} {:7} {:>4} {:>6} {:>9} {:>9} up  message".format(*heads))
    for name, user, browser, path, fields, filename, data in cases:
        if "region" in fields and not fields["region"] and region:
            fields = {**fields, "region": region.group(1).decode()}
        browser.get(path if path != "/evaluation/upload/" else "/evaluation/")
        sampler = Sampler(pid)
        sampler.start()
        status, page = browser.post(path, fields, {"file": (filename, data)})
        seconds = time.monotonic() - browser.sent_at
        sampler.running = False
        sampler.join()
        up = Browser(base).get("/accounts/login/")[0] == 200
        print(
            f"{name:28} {user:7} {status:>4} {seconds:6.2f} {sampler.server / 1024:9.0f} "
            f"{sampler.worker / 1024:9.0f} {'yes' if up else 'NO':3} {message_of(page)}"
        )
    print(f"server RSS after all attacks: {rss_kb(pid) / 1024:.0f} MB")


if __name__ == "__main__":
    main()
