#!/usr/bin/env bash
# The production stack test (issue 17.7): PostgreSQL on loopback must be running (.ci/run
# starts it). See scripts/ci_production_stack.py.
set -euo pipefail
cd "$(dirname "$0")/.."
pg_isready -q -h 127.0.0.1 -p 5432
exec uv run --frozen python scripts/ci_production_stack.py
