#!/usr/bin/env bash
# Fresh-machine check (issue 17.1): clone the committed tree, then, in a clean environment
# (`env -i`, an empty HOME, PATH=/usr/bin:/bin — so no uv, no ~/.local/bin, no pyenv), run the
# README's set-up (`make setup`, what `make demo` and `make test` run first) and then the
# README's next commands exactly as written: `./comeforward …` and `make code EMAIL=…`.
#
# To keep CI's time down the package caches (uv's and npm's) are shared with the outer run:
# the packages are the locked ones either way; everything else — HOME, PATH, the tools under
# .tools/, the virtual environment, node_modules — is new.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/cf-fresh.XXXXXX)
trap 'rm -rf "$work"' EXIT
git clone -q --no-hardlinks "$repo" "$work/repo"
mkdir -p "$work/home"
uv_cache=${UV_CACHE_DIR:-$HOME/.cache/uv}
npm_cache=${npm_config_cache:-$HOME/.npm}
clean() {
  env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 \
    UV_CACHE_DIR="$uv_cache" npm_config_cache="$npm_cache" \
    DEBIAN_FRONTEND=noninteractive "$@"
}
cd "$work/repo"
echo "-- make setup (clean environment: $(clean sh -c 'command -v uv || echo no uv on PATH'))"
clean make setup
echo "-- ./comeforward --version"
version=$(clean ./comeforward --version)
echo "$version"
grep -Eq '^comeforward [0-9]+\.[0-9]+\.[0-9]+' <<<"$version"
echo "-- ./comeforward demo --no-serve"
clean ./comeforward demo --no-serve >/dev/null
echo "-- make code EMAIL=… and ./comeforward demo_code EMAIL (README)"
email=supervisor@demo.example  # printed by `make demo` (comeforward.demo.data)
code=$(clean make --no-print-directory code EMAIL="$email")
grep -Eq '^[0-9]{6}$' <<<"$code" || { echo "make code printed: $code" >&2; exit 1; }
code=$(clean ./comeforward demo_code "$email")
grep -Eq '^[0-9]{6}$' <<<"$code" || { echo "demo_code printed: $code" >&2; exit 1; }
echo "-- the CLI tests that run the README's commands (must not skip)"
clean ./.tools/venv/bin/uv run --frozen pytest -q -p no:randomly -rs \
  tests/law/test_cli.py tests/risk/test_cli.py 2>&1 | tee "$work/pytest.log"
if grep -q "SKIPPED" "$work/pytest.log"; then echo "a test skipped in the fresh set-up" >&2; exit 1; fi
echo "fresh set-up passed"
