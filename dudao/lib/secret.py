"""The secret key when none is configured: generated once, kept beside the data.

Two processes starting together (a WSGI server's workers) must agree on one key, so the key
is written to a private temporary file first and then hard-linked into place: `link` fails
if the name exists, so exactly one writer wins and every other process reads its key. The
file is created with mode 0600 (readable by its owner only), never widened.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

KEY_FILE = "secret_key"


def secret_key_in(folder: Path) -> str:
    """The key kept in `folder`, generating it on first use.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> secret_key_in(d) == secret_key_in(d)
    True
    """
    try:
        return _kept_in(folder)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"Cannot keep the secret key in {folder} ({exc.strerror or exc}): make "
            "DUDAO_VAR_DIR writable, or set DUDAO_SECRET_KEY"
        ) from exc


def _kept_in(folder: Path) -> str:
    path = folder / KEY_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_urlsafe(50) + "\n")
            f.flush()
            os.fsync(f.fileno())
        # Another process may have won the race: then its key is the one.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 50:
        raise ImproperlyConfigured(f"{path} holds no usable secret key; remove it for a new one")
    return key
