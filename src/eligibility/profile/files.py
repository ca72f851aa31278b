"""Read profile files (YAML or JSON; ``-`` for standard input)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from eligibility.errors import InputFileError
from eligibility.profile.model import Profile, parse_profile
from eligibility.profile.yamlio import load_yaml


def read_document(path: str) -> tuple[Any, str]:
    """Read and parse one YAML or JSON document; return it with its display name.

    JSON is a subset of YAML, so one safe YAML parser reads both.

    Raises:
        InputFileError: the file cannot be read, is not text, or does not parse.
    """
    name = "<stdin>" if path == "-" else path
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(name, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(name, "is a directory, not a profile file") from None
    except UnicodeDecodeError:
        raise InputFileError(name, "is not UTF-8 text") from None
    except OSError as exc:
        raise InputFileError(name, f"cannot be read: {exc.strerror}") from None
    try:
        return load_yaml(text), name
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise InputFileError(name, f"is not valid YAML or JSON{where}: {problem}") from None


def read_profile(path: str) -> Profile:
    """Read and validate a profile file.

    Raises:
        InputFileError: the file cannot be read or parsed.
        ProfileError: the profile is invalid (each field named).
    """
    data, name = read_document(path)
    if data is None:
        raise InputFileError(name, "is empty")
    return parse_profile(data, source=name)
