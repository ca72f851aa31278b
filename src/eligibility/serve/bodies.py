"""Request bodies: read within a size limit, then parsed by the library's own readers.

A body larger than its limit is refused with 413 as soon as its declared length says so,
or as soon as the bytes received pass the limit (a body sent in chunks has no length):
the server never holds more than the limit of one body. A profile body is parsed by the
same reader as a profile file (:func:`eligibility.profile.files.parse_document`), so it
gets the same messages.
"""

from __future__ import annotations

import tempfile
from typing import IO, Any
from urllib.parse import parse_qs

from fastapi import Request

from eligibility.errors import InputFileError
from eligibility.profile.files import parse_document, profile_of
from eligibility.profile.model import Profile
from eligibility.serve.problems import HttpProblem
from eligibility.serve.settings import BODY

#: The media types of a profile body (JSON is YAML too: one parser reads both).
PROFILE_TYPES = ("application/json", "application/yaml", "application/x-yaml", "text/yaml")


def _size(limit: int) -> str:
    return f"{limit // (1 << 20)} MiB" if limit >= 1 << 20 else f"{limit // 1024} kB"


def too_large(limit: int) -> HttpProblem:
    """The problem of a body over ``limit`` bytes."""
    return HttpProblem(413, f"{BODY}: larger than {_size(limit)}, the most this server accepts")


def _declared_too_large(request: Request, limit: int) -> None:
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise too_large(limit)


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, at most ``limit`` bytes.

    Raises:
        HttpProblem: 413, the body is larger than ``limit``.
    """
    _declared_too_large(request, limit)
    parts: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        parts.append(chunk)
    return b"".join(parts)


async def spool_body(request: Request, limit: int) -> IO[bytes]:
    """The body in a temporary file (rewound), at most ``limit`` bytes; the caller closes it.

    Raises:
        HttpProblem: 413, the body is larger than ``limit``.
    """
    _declared_too_large(request, limit)
    spool = tempfile.NamedTemporaryFile(prefix="eligibility-body-", suffix=".tmp")  # noqa: SIM115
    try:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            spool.write(chunk)
        spool.flush()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool


def text_of(body: bytes, name: str = BODY) -> str:
    """The body as text.

    Raises:
        InputFileError: it is not UTF-8.
    """
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(name, f"is not UTF-8 text (byte {exc.start})") from None


def media_type(request: Request) -> str:
    """The request's media type, lower case, without its parameters (``""`` when none)."""
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def is_json(request: Request) -> bool:
    """Whether the body says it is JSON (read strictly then, as a ``.json`` file is)."""
    kind = media_type(request)
    return kind == "application/json" or kind.endswith("+json")


def check_profile_type(request: Request) -> None:
    """Refuse a body that says it is neither JSON nor YAML (one that says nothing is read
    as YAML, of which JSON is a subset).

    Raises:
        HttpProblem: 415, with the media types accepted.
    """
    kind = media_type(request)
    if kind and kind not in PROFILE_TYPES and not is_json(request):
        raise HttpProblem(
            415, f"{BODY}: media type {kind} is not accepted; send {', '.join(PROFILE_TYPES)}"
        )


async def profile_body(request: Request, limit: int) -> Profile:
    """The profile a request carries (JSON or YAML), validated as a profile file is.

    Raises:
        HttpProblem: 413 (too large) or 415 (not JSON nor YAML).
        InputFileError: the body is empty, not UTF-8, or does not parse.
        ProfileError: the profile is invalid (each field named).
    """
    check_profile_type(request)
    body = await read_body(request, limit)
    return profile_of(document_of(body, json_text=is_json(request)), BODY)


def document_of(body: bytes, name: str = BODY, *, json_text: bool = False) -> Any:
    """A JSON or YAML body parsed by the profile reader (None for an empty one).

    Raises:
        InputFileError: not UTF-8, does not parse, or holds a key twice.
    """
    return parse_document(text_of(body, name), name, json_text=json_text)


def form_of(body: bytes) -> dict[str, list[str]]:
    """An ``application/x-www-form-urlencoded`` body: each name with its values, in order.

    Raises:
        InputFileError: it is not UTF-8.
    """
    try:
        return parse_qs(text_of(body, "form"), keep_blank_values=True, max_num_fields=1000)
    except ValueError as exc:  # more fields than any page of ours sends
        raise InputFileError("form", str(exc)) from None
