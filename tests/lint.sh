#!/usr/bin/env bash
# Conventions the compiler does not hold (HACKING.md): no banned C functions in the sources, and
# clang-format clean.  Part of `make test` (ctest lint/conventions).
set -uo pipefail
cd "$(dirname "$0")/.."
fails=0
# unbounded or unchecked string and number functions: snprintf, explicit lengths and strtoull
banned='\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|atoll|gets|strncpy)[[:space:]]*\('
if hits=$(git ls-files '*.c' '*.h' | xargs grep -nE "$banned"); then
	echo "banned functions (use snprintf, explicit lengths, strtoull):"
	echo "$hits"
	fails=$((fails + 1))
fi
# every C file as clang-format (the repository's .clang-format) writes it
if ! command -v clang-format >/dev/null; then
	echo "clang-format missing (scripts/deps.sh installs it)"
	fails=$((fails + 1))
elif ! out=$(git ls-files '*.c' '*.h' | xargs clang-format --dry-run -Werror 2>&1); then
	echo "not clang-format clean (make format):"
	echo "$out" | grep -E '^[^ ].*error' | head -20
	fails=$((fails + 1))
fi
# every public function returning an error code documents its codes
if ! python3 tests/errdoc.py; then
	fails=$((fails + 1))
fi
echo "lint: $fails problem(s)"
[ "$fails" -eq 0 ]
