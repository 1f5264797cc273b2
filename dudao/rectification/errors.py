from __future__ import annotations


class LedgerError(Exception):
    """A refused change to the ledger. `message` is Chinese and shown to the user as is;
    `field` names the form field it belongs to, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEdit(LedgerError):
    """Someone else saved the item since this user loaded it; nothing was overwritten."""

    def __init__(self) -> None:
        super().__init__("此整改任务已被他人修改，您的修改未保存。请刷新页面查看最新内容后再修改。")


class NotAllowed(LedgerError):
    """The user may not make this change."""
