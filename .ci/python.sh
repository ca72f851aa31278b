#!/usr/bin/env bash
# Print the path of a Python interpreter of the version given (e.g. 3.13), or fail saying so.
# Looks on PATH first (a pyenv shim counts only if it really runs), then in pyenv's versions.
set -euo pipefail
version="$1"
if candidate="$(command -v "python$version")" && "$candidate" -c '' 2>/dev/null; then
    echo "$candidate"
    exit 0
fi
root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
for candidate in "$root"/versions/"$version".*/bin/"python$version"; do
    if [ -x "$candidate" ] && "$candidate" -c '' 2>/dev/null; then
        echo "$candidate"
        exit 0
    fi
done
echo "No Python $version on this machine (not on PATH, not in $root/versions)" >&2
exit 1
