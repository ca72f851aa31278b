"""Read profile files (YAML or JSON; ``-`` for standard input)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from eligibility.display import Sentence, shown
from eligibility.errors import InputFileError
from eligibility.profile.jsonio import JsonError, duplicate_keys, json_problem, load_json
from eligibility.profile.limits import PROFILE_BYTES
from eligibility.profile.model import Profile, parse_profile
from eligibility.profile.textfile import read_text
from eligibility.profile.yamlio import load_yaml, yaml_problem


def read_document(path: str) -> tuple[Any, str]:
    """Read and parse one profile document; return it with its display name.

    A ``.json`` file is parsed as JSON (strictly: no trailing commas, no missing values);
    any other file, and standard input, as YAML (of which JSON is a subset).

    Raises:
        InputFileError: the file cannot be read, is too large, is not UTF-8 text, does not
            parse, or holds a key twice.
    """
    text = read_text(path, PROFILE_BYTES, Sentence("profile file"))
    name = "<stdin>" if path == "-" else path
    json_file = path != "-" and Path(path).suffix.lower() == ".json"
    return parse_document(text, name, json_text=json_file), name


def parse_document(text: str, name: str, *, json_text: bool = False) -> Any:
    """Parse the text of one profile document (what :func:`read_document` read).

    ``name`` names the text in messages (a file, ``<stdin>``, a request body). JSON text
    (``json_text``) is parsed as JSON, strictly; any other as YAML.

    Raises:
        InputFileError: the text does not parse, or holds a key twice.
    """
    if json_text:
        try:
            data = load_json(text)
        except (json.JSONDecodeError, JsonError) as exc:
            why = Sentence("is not valid JSON: {detail}", detail=json_problem(exc, text))
            raise InputFileError(name, why) from None
        if twice := duplicate_keys(data):
            keys = ("key " if len(twice) == 1 else "keys ") + ", ".join(map(shown, twice))
            raise InputFileError(name, f"is not valid JSON: it holds the {keys} twice")
        return data
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        why = Sentence("is not valid YAML: {detail}", detail=yaml_problem(exc))
        raise InputFileError(name, why) from None


def read_profile(path: str) -> Profile:
    """Read and validate a profile file.

    Raises:
        InputFileError: the file cannot be read or parsed.
        ProfileError: the profile is invalid (each field named).
    """
    data, name = read_document(path)
    return profile_of(data, name)


def profile_of(data: Any, name: str) -> Profile:
    """Validate a parsed document (``None``: an empty one) as a profile named ``name``.

    Raises:
        InputFileError: the document is empty.
        ProfileError: the profile is invalid (each field named).
    """
    if data is None:
        raise InputFileError(name, Sentence("is empty"))
    return parse_profile(data, source=name)
