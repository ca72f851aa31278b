"""A sentence of the core: its English text, kept whole across processes and copies, and
translated by i18n from its template."""

from __future__ import annotations

import copy
import pickle

import orjson

from eligibility.display import Sentence
from eligibility.i18n.messages import localized


def test_a_sentence_is_its_english_text() -> None:
    """Filled in English, equal to the plain string, written as one in JSON."""
    s = Sentence("above {le}, the largest value allowed", le=5)
    assert s == "above 5, the largest value allowed"
    assert orjson.dumps({"message": s}) == b'{"message":"above 5, the largest value allowed"}'


def test_a_sentence_crosses_processes_and_copies_whole() -> None:
    """A batch's workers send problems back pickled: the template and parameters come too."""
    s = Sentence("{loc}: {message}", loc="id", message=Sentence("field required"))
    again = pickle.loads(pickle.dumps(s))
    assert type(again) is Sentence and again == s
    assert localized(again, "fr") == "id\u00a0: champ obligatoire"
    assert copy.deepcopy(s) is s and copy.copy(s) is s
