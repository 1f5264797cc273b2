"""Backup and restore: one .tar.gz with the database, every stored file and a manifest.

The database is copied first, as one consistent snapshot while the app keeps running:
SQLite through its online backup API (page by page, under SQLite's own locking, so a
writer elsewhere never sees a half-copied file); any other database (PostgreSQL) as a
Django-level dump (`dumpdata`, natural keys) read inside one REPEATABLE READ transaction,
restorable into any database Django supports, with no client tools to match in version.
The stored files come after the snapshot: a file is written before the row that names it
commits, so every file the snapshot refers to is there already (a file stored meanwhile
is copied too, unreferenced, which does no harm).

`manifest.json` lists the SHA-256 of every member. A restore reads the whole archive and
checks every hash before it writes anything, and writes only into an empty database and
an empty file storage. The hashes catch a damaged or edited archive, not a forger who
rewrites the manifest too: keep the archives where only the operators can write.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import posixpath
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from dudao.web import serializer

FORMAT = "dudao-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/dudao.sqlite3"
JSON_MEMBER = "database/dudao.json"
MEDIA = "media/"
# Rows every migrated database has: they do not make it "not empty", and the JSON dump
# leaves them out because `migrate` creates them on the target.
BUILT_IN = {"contenttypes", "sessions"}
BUILT_IN_MODELS = {"auth.permission"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one Chinese sentence."""


@dataclass(frozen=True)
class Summary:
    method: str
    files: int
    size: int


# --- backup ------------------------------------------------------------------------------


def backup_write(out: Path, *, logical: bool = False) -> Summary:
    """Write the archive to `out` (through a temporary name, so a failed backup never leaves
    a truncated archive under the real name). `logical`: the Django-level dump on SQLite
    too, restorable into PostgreSQL (the way from the embedded database to a server)."""
    partial = out.with_name(f".{out.name}.partial")
    hashes: dict[str, str] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="dudao-backup-") as tmp:
            db_member, method, db_path = _dump_database(Path(tmp), logical=logical)
            # Readable by its owner only: the archive holds every password hash.
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                with db_path.open("rb") as f:
                    hashes[db_member] = _add(tar, db_member, f, db_path.stat().st_size)
                for name in _stored_names():
                    with default_storage.open(name, "rb") as f:
                        hashes[MEDIA + name] = _add(
                            tar, MEDIA + name, f, default_storage.size(name)
                        )
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created_at": timezone.now().isoformat(),
                    "database": {"vendor": connection.vendor, "method": method},
                    "files": hashes,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                _add(tar, MANIFEST, io.BytesIO(data), len(data))
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"无法写入备份文件“{out}”：{exc.strerror or exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Summary(method=method, files=len(hashes) - 1, size=out.stat().st_size)


def _dump_database(folder: Path, *, logical: bool) -> tuple[str, str, Path]:
    connection.ensure_connection()
    if connection.vendor == "sqlite" and not logical:
        target = folder / "dudao.sqlite3"
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return SQLITE_MEMBER, "sqlite-online-backup", target
    target = folder / "dudao.json"
    serializers.register_serializer(serializer.NAME, serializer.__name__)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command(
            "dumpdata",
            *_excluded_args(),
            format=serializer.NAME,
            natural_foreign=True,
            output=str(target),
            verbosity=0,
        )
    return JSON_MEMBER, "django-dumpdata", target


def _excluded_args() -> list[str]:
    return [f"--exclude={label}" for label in sorted(BUILT_IN | BUILT_IN_MODELS)]


def _stored_names(folder: str = "") -> Iterator[str]:
    try:
        dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(dirs):
        yield from _stored_names(posixpath.join(folder, sub) if folder else sub)


class _Hashing(io.RawIOBase):
    """A reader that hashes what passes through it (tarfile reads the member once)."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.sha = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.inner.read(size)
        self.sha.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, f: IO[bytes], size: int) -> str:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(datetime.datetime.now().timestamp())
    reader = _Hashing(f)
    tar.addfile(info, reader)
    return reader.sha.hexdigest()


# --- restore -----------------------------------------------------------------------------


def restore_read(archive: Path) -> Summary:
    """Check the whole archive, then put it into the (empty) database and file storage."""
    try:
        tar = tarfile.open(archive, "r:*")  # noqa: SIM115 - closed below
    except FileNotFoundError as exc:
        raise BackupError(f"备份文件“{archive}”不存在") from exc
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"“{archive}”不是 Dudao 的备份文件（无法读取）") from exc
    with tar:
        manifest, members = _verified(tar)
        _refuse_unless_empty()
        method = manifest["database"]["method"]
        db_member = SQLITE_MEMBER if method == "sqlite-online-backup" else JSON_MEMBER
        _restore_database(tar, members[db_member], method)
        files = 0
        for name, member in members.items():
            if name.startswith(MEDIA):
                _restore_file(tar, member, name[len(MEDIA) :])
                files += 1
    return Summary(method=method, files=files, size=archive.stat().st_size)


def _verified(tar: tarfile.TarFile) -> tuple[dict[str, Any], dict[str, tarfile.TarInfo]]:
    try:
        members = {m.name: m for m in tar.getmembers()}
        manifest_file = tar.extractfile(members[MANIFEST]) if MANIFEST in members else None
        manifest = json.loads(manifest_file.read()) if manifest_file else None
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise BackupError("备份文件已损坏，无法读取") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("这不是 Dudao 的备份文件（缺少清单 manifest.json）")
    if manifest.get("version") != VERSION:
        raise BackupError(f"不支持的备份格式版本：{manifest.get('version')}")
    method = manifest.get("database", {}).get("method")
    if method not in {"sqlite-online-backup", "django-dumpdata"}:
        raise BackupError("备份清单中的数据库类型无法识别")
    if method == "sqlite-online-backup" and connection.vendor != "sqlite":
        raise BackupError("此备份的数据库是 SQLite，只能恢复到 SQLite 数据库")
    hashes: dict[str, str] = manifest.get("files", {})
    content = {name: m for name, m in members.items() if name != MANIFEST}
    db_member = SQLITE_MEMBER if method == "sqlite-online-backup" else JSON_MEMBER
    if set(content) != set(hashes) or db_member not in hashes:
        extra = sorted(set(content) ^ set(hashes)) or [db_member]
        raise BackupError(f"备份文件与清单不符（{extra[0]}），可能已被改动，拒绝恢复")
    for name, member in content.items():
        if not _safe(name) or not member.isfile():
            raise BackupError(f"备份中有不允许的条目“{name}”，拒绝恢复")
        if _sha256(tar, member) != hashes[name]:
            raise BackupError(f"备份文件已损坏或被改动：{name} 的 SHA-256 与清单不符，拒绝恢复")
    return manifest, content


def _safe(name: str) -> bool:
    parts = name.split("/")
    return (
        (name in (SQLITE_MEMBER, JSON_MEMBER) or name.startswith(MEDIA))
        and not name.startswith("/")
        and all(p not in {"", ".", ".."} for p in parts)
    )


def _sha256(tar: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    sha = hashlib.sha256()
    f = tar.extractfile(member)
    assert f is not None
    while chunk := f.read(CHUNK):
        sha.update(chunk)
    return sha.hexdigest()


def _refuse_unless_empty() -> None:
    rows = _rows_in_database()
    if rows:
        raise BackupError(
            f"目标数据库不是空的（已有{rows[0]}等数据），拒绝恢复；请恢复到新建的空数据库和空的文件目录"
        )
    if next(_stored_names(), None) is not None:
        raise BackupError("文件存储目录不是空的，拒绝恢复；请恢复到空的文件目录")


def _rows_in_database() -> list[str]:
    """Labels of the models that hold rows (a database without tables holds none)."""
    tables = set(connection.introspection.table_names())
    full = []
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in BUILT_IN or meta.label_lower in BUILT_IN_MODELS:
            continue
        if meta.db_table not in tables:
            continue
        try:
            if model._default_manager.exists():
                full.append(f"“{meta.verbose_name}”")
        except DatabaseError:
            continue
    return full


def _restore_database(tar: tarfile.TarFile, member: tarfile.TarInfo, method: str) -> None:
    source = tar.extractfile(member)
    assert source is not None
    with tempfile.TemporaryDirectory(prefix="dudao-restore-") as tmp:
        path = Path(tmp) / posixpath.basename(member.name)
        with path.open("wb") as out:
            while chunk := source.read(CHUNK):
                out.write(chunk)
        if method == "sqlite-online-backup":
            connection.ensure_connection()
            copy = sqlite3.connect(path)
            try:
                copy.backup(connection.connection)
            finally:
                copy.close()
            connection.close()  # the next query opens the restored database afresh
            call_command("migrate", verbosity=0, interactive=False)
        else:
            call_command("migrate", verbosity=0, interactive=False)
            call_command("loaddata", str(path), verbosity=0)


def _restore_file(tar: tarfile.TarFile, member: tarfile.TarInfo, name: str) -> None:
    f = tar.extractfile(member)
    assert f is not None
    saved = default_storage.save(name, File(f, name=posixpath.basename(name)))
    if saved != name:
        raise BackupError(f"文件“{name}”无法按原名恢复（存为“{saved}”）")
