"""The sizes past which input is refused (documented in docs/reliability.md).

A real profile is a few kilobytes, two levels deep (a mapping of fields, some of them
lists). The limits are far above anything real and low enough that no input can take
more than a few hundred megabytes of memory or fill a terminal with one message.
"""

from __future__ import annotations

#: The most bytes a profile file (or a profile on standard input) may hold; and a YAML
#: file of a rules directory, which is read whole too, sixteen times that.
PROFILE_BYTES = 1 << 20
RULE_FILE_BYTES = 16 << 20

#: The most characters one portfolio row may hold: a CSV or JSONL line, one profile of a
#: JSON or YAML list. A CSV cell holds at most CSV_CELL_CHARS (the csv module's limit).
ROW_CHARS = 1 << 20
CSV_CELL_CHARS = 128 << 10

#: The deepest a YAML document may nest (libyaml's own limit is 1 000; JSON's parser stops
#: near 1 000 levels, and a profile nested past 254 levels cannot be validated).
YAML_DEPTH = 100

#: The most values (scalars, lists and mappings) a YAML profile, or one row of a YAML
#: portfolio, may hold once its aliases are expanded (a profile holds about a hundred); and
#: a rule file (the largest shipped one holds 1 400).
YAML_VALUES = 10_000
RULE_FILE_VALUES = 100_000
