"""YAML reading for every input of the tool: safe, bounded, and guessing nothing.

One loader reads profiles, portfolios and rule directories. It builds plain data only
(PyYAML's safe constructor), and it refuses what could take the machine down or silently
change what was written:

- aliases (``*name``) that expand too far: a few hundred bytes of nested aliases expand to
  gigabytes (the "billion laughs"). Tools writing YAML use aliases for values they share
  (PyYAML does for lists), so an alias is accepted as long as the document (a portfolio:
  each of its rows), every alias expanded, holds at most so many values:
  :data:`~eligibility.profile.limits.YAML_VALUES` for a profile or a row, ten times that for a rule
  file (:data:`~eligibility.profile.limits.RULE_FILE_VALUES`);
- nesting deeper than libyaml's 1 000 levels, or :data:`~eligibility.profile.limits.YAML_DEPTH` in
  a portfolio read row by row (a profile needs two);
- a key written twice in a mapping (the last one would win unseen).

And it reads scalars as YAML 1.2 does where YAML 1.1 guesses: ``2026-01-01`` stays the text
it is (not a date), ``<<`` and ``=`` are text (no merge keys, no value keys), and a whole
number is decimal digits ``0-9`` (``010`` is ten, ``0x10``, ``1_000`` and ``1:30`` are
text). Booleans keep YAML 1.1's words (``yes``/``no``, ``on``/``off``), as in CSV.

libyaml parses when it is installed (PyYAML's C extension: several times faster) and
composes a whole document; a portfolio's rows are composed one at a time in Python. The
checks run in the constructor and, row by row, in the composer.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from eligibility.display import shown
from eligibility.profile.limits import YAML_DEPTH, YAML_VALUES
from eligibility.profile.problems import at_line


def _parser_class() -> Any:
    """libyaml's parser; the pure-Python one where PyYAML was built without libyaml."""
    try:
        from yaml.cyaml import CParser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - PyYAML's wheels all ship libyaml
        from yaml.parser import Parser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class PyParser(Reader, Scanner, Parser):
            def __init__(self, stream: Any) -> None:
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                Parser.__init__(self)

        return PyParser
    return CParser


_Parser: Any = _parser_class()
#: Whether libyaml parses (and composes whole documents), else the pure-Python parser.
LIBYAML = _Parser.__name__ == "CParser"

_INT_TAG = "tag:yaml.org,2002:int"
# YAML 1.1 implicit types that YAML 1.2 dropped: a date, a merge key, a value key.
_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
_DECIMAL = re.compile(r"[-+]?[0-9]+", re.ASCII)
#: The most digits of a whole number (Python refuses to convert more than 4 300).
_INT_DIGITS = 100


class _Resolver(Resolver):
    """YAML 1.1's implicit types without dates, merge and value keys; decimal integers."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED | {_INT_TAG}]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    _INT_TAG, re.compile(r"^[-+]?[0-9]+$", re.ASCII), list("-+0123456789")
)


class _Composer(Composer):
    """Composes nodes, refusing nesting deeper than YAML_DEPTH; ``aliased`` tells whether
    an alias was met (the caller clears it)."""

    _depth = 0
    aliased = False

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        events: Any = self  # the parser's event methods (a base of the loader)
        if events.check_event(yaml.AliasEvent):
            self.aliased = True
        if self._depth >= YAML_DEPTH:
            raise ComposerError(
                None,
                None,
                f"nested more than {YAML_DEPTH} levels deep",
                events.peek_event().start_mark,
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _Constructor(SafeConstructor):
    """The safe constructor, refusing duplicate keys and values of the wrong type, and
    reading integers as decimal."""

    def flatten_mapping(self, node: MappingNode) -> None:
        """No merge keys: ``<<`` is a key like any other (an explicit ``!!merge`` fails)."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise ConstructorError(
                None, None, f"expected a mapping node, but found {node.id}", node.start_mark
            )
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                raise ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    "found a key that is a list or a mapping",
                    key_node.start_mark,
                )
            if key in mapping:
                raise ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found the key {shown(key)} twice",
                    key_node.start_mark,
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node: ScalarNode) -> int:
        value = self.construct_scalar(node)
        if not _DECIMAL.fullmatch(value) or len(value) > _INT_DIGITS:
            raise ConstructorError(
                None,
                None,
                f"{shown(value)} is not a whole number of at most {_INT_DIGITS} digits 0-9",
                node.start_mark,
            )
        return int(value, 10)

    def construct_yaml_float(self, node: ScalarNode) -> float:
        try:
            return super().construct_yaml_float(node)
        except (ValueError, IndexError):
            raise ConstructorError(
                None, None, f"{shown(node.value)} is not a number", node.start_mark
            ) from None

    def construct_yaml_bool(self, node: ScalarNode) -> bool:
        word = self.construct_scalar(node)
        if word.lower() not in self.bool_values:
            raise ConstructorError(
                None, None, f"{shown(word)} is not true or false", node.start_mark
            )
        return bool(self.bool_values[word.lower()])

    def construct_refused(self, node: Node) -> None:
        """Types that no input of the tool holds (dates, bytes, sets, ordered pairs)."""
        raise ConstructorError(
            None, None, f"a value tagged {shown(node.tag)} is not accepted", node.start_mark
        )


_Constructor.add_constructor(_INT_TAG, _Constructor.construct_yaml_int)  # type: ignore[type-var]
_Constructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:float", _Constructor.construct_yaml_float
)
_Constructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:bool", _Constructor.construct_yaml_bool
)
for _tag in ("timestamp", "binary", "set", "omap", "pairs"):
    _Constructor.add_constructor(  # type: ignore[type-var]
        f"tag:yaml.org,2002:{_tag}", _Constructor.construct_refused
    )


class YamlLoader(_Composer, _Parser, _Constructor, _Resolver):  # type: ignore[misc]
    """The loader of a stream read node by node (a portfolio), with the module's rules.

    Use the event methods (``check_event``, ``get_event``), ``compose_node`` and
    ``construct_document`` of an instance, and ``dispose`` at the end. The composer comes
    first in the bases: libyaml's parser has its own, which does not check the depth (for
    :func:`load_yaml`, libyaml's composer is faster, and its own limit of 1 000 levels
    does). Check a row's aliases with :func:`check_aliases` before constructing it, when
    ``aliased`` says it has any.
    """

    def __init__(self, stream: Any) -> None:
        _Parser.__init__(self, stream)
        _Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


class _DocumentLoader(_Parser, _Constructor, _Resolver):  # type: ignore[misc]
    """libyaml parses and composes one document; the constructor checks it is plain data."""

    def __init__(self, stream: Any) -> None:
        _Parser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


def load_yaml(text: str, *, max_values: int = YAML_VALUES) -> Any:
    """Parse one YAML document into plain data (see the module docstring for the rules).

    Raises:
        yaml.YAMLError: the text is not valid YAML, or breaks one of the rules (its
            :func:`yaml_problem` says where and why): among them, a document that holds
            more than ``max_values`` values once its aliases are expanded.
    """
    # Without libyaml, the Python composer is needed: it also bounds the depth (recursion).
    loader = _DocumentLoader(text) if LIBYAML else YamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in text:  # else no alias (a rule file seldom has one: the walk is skipped)
            check_aliases(node, max_values)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def check_aliases(root: Node, max_values: int) -> None:
    """Refuse a node that holds itself, or more than ``max_values`` values once its aliases
    are expanded. Each node is visited once (shared ones are counted as many times as they
    are used, from the sizes known), and the walk stops past ``max_values``, so the check
    costs no more than the document would without aliases.

    Raises:
        yaml.YAMLError: naming where the document went past the bound.
    """
    if not isinstance(root, (MappingNode, SequenceNode)):
        return
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            on_path.discard(key)
            if size[key] > max_values:
                raise ComposerError(
                    None,
                    None,
                    f"holds more than {max_values:,} values (with its aliases expanded)",
                    node.start_mark,
                )
            continue
        if key in size:
            continue
        if key in on_path:
            raise ComposerError(None, None, "an alias holds its own anchor", node.start_mark)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in size)


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, ScalarNode):
        return []
    return list(node.value)


class _Dumper(yaml.SafeDumper):
    """Writes every value in full: no anchors and aliases, for people to read."""

    def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002  # the same for any value
        return True


def dump_yaml(data: Any) -> str:
    """YAML text of plain data, in its keys' order, that :func:`load_yaml` reads back."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def yaml_problem(exc: yaml.YAMLError) -> str:
    """What is wrong, and where: ``line 3, column 7: found the key 'id' twice``."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).strip() or "syntax error"
    if mark is None:
        return problem
    return at_line(mark.line + 1, mark.column + 1, problem)
