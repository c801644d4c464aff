"""E-mail address (电子邮箱). Lower-cased for counting: mailbox names are case-insensitive in
practice, so Zhang@Example.com and zhang@example.com are one person."""

from __future__ import annotations

from chinacomply.scan.recognizer import Recognizer, Validity

SHAPE = (
    r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}"
    r"(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}"
)


def normalize(value: str) -> str:
    return value.strip().lower()


def validate(value: str) -> Validity:
    local, _, domain = value.strip().rpartition("@")
    if ".." in local or local.endswith(".") or any(p.startswith("-") for p in domain.split(".")):
        return Validity.INVALID
    return Validity.VALID


def mask(value: str) -> str:
    local, _, domain = value.strip().rpartition("@")
    return f"{local[:1]}***@{domain}"


RECOGNIZER = Recognizer(
    type="email",
    shape=SHAPE,
    validate=validate,
    normalize=normalize,
    mask=mask,
    context=("邮箱", "邮件", "电子邮件", "email", "e-mail", "mail"),
    base_score=0.9,
    # The local part may not start inside a longer run of address characters; this keeps the
    # scan linear on hostile input such as a megabyte of letters without an "@".
    left="0-9A-Za-z._%+-",
    right="0-9A-Za-z-",
    explain="mailbox@domain with a top-level domain",
)
