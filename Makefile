# comeforward — two commands: `make demo` and `make test`. Both set up what they need.
#
# Works on a fresh Debian 12/13 with Debian's own Python (PEP 668: no `pip install --user`):
# the Debian packages come first (python3-venv, python3-dev and g++ build pdqhash from source),
# then uv is installed into a private virtual environment under .tools/ (unless uv is already
# on PATH), then the locked Python packages (.venv) and the npm packages. Afterwards
# `./comeforward COMMAND` runs any command without touching PATH.
SHELL := /bin/bash
TOOLS := $(CURDIR)/.tools
UV := $(shell command -v uv 2>/dev/null || echo "$(TOOLS)/venv/bin/uv")
# Use the machine's python3 (Debian's on a fresh machine): uv must not try to download one.
export UV_PYTHON ?= python3
export UV_PYTHON_DOWNLOADS ?= never
# Trust the machine's certificate store (Debian's ca-certificates, and a force's TLS-inspecting
# proxy where there is one), as apt, pip and npm do. UV_NATIVE_TLS is the older uv's name.
export UV_SYSTEM_CERTS ?= 1
export UV_NATIVE_TLS ?= 1
APT_PACKAGES := python3-venv python3-dev g++ gcc make libssl-dev \
	chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 hashdeep sleuthkit poppler-utils mtools wbritish-small \
	ewf-tools libxml2-utils dosfstools e2fsprogs ntfs-3g exfatprogs fdisk gdisk libarchive13
# Node.js and npm from Debian only where no npm is installed already.
APT_NODE := $(if $(shell command -v npm 2>/dev/null),,nodejs npm)

.PHONY: demo test setup python-deps assets system-deps lint contracts typecheck ci clean code messages

demo: setup ## set up everything and run the demo (web server + background worker)
	DJANGO_SETTINGS_MODULE=comeforward.web.settings.dev $(UV) run --frozen comeforward demo

test: setup ## run the test suite (SQLite; browser tests too when Chromium is present)
	$(UV) run --frozen pytest -q -n 2 --dist loadgroup

code: ## the current demo security code of a user: make code EMAIL=supervisor@demo.comeforward.example
	@DJANGO_SETTINGS_MODULE=comeforward.web.settings.dev $(UV) run --frozen comeforward demo_code "$(EMAIL)"

setup: system-deps python-deps assets

$(TOOLS)/venv/bin/uv: | system-deps
	python3 -m venv "$(TOOLS)/venv"
	"$(TOOLS)/venv/bin/python" -m pip install --quiet --disable-pip-version-check uv

python-deps: $(UV)
	$(UV) sync --all-extras --frozen
	@# bytecode of our own sources, written even where PYTHONDONTWRITEBYTECODE is set: a triage
	@# run would otherwise compile its modules on every start (~40 ms; docs/benchmarks.md)
	$(UV) run --frozen python -m compileall -q -j 0 packages/triage/src src >/dev/null

assets: node_modules/.package-lock.json
	npm run --silent build

node_modules/.package-lock.json: package.json | system-deps
	npm ci --no-audit --no-fund 2>/dev/null || npm install --no-audit --no-fund

system-deps: ## Debian packages: Python venv + headers and g++ (pdqhash), browser tests, PDFs, disk images
	@missing=""; for p in $(APT_PACKAGES) $(APT_NODE); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: python-deps ## extract, update and compile the Welsh catalogue (docs/welsh.md; Babel, no system gettext)
	$(UV) run --frozen python scripts/i18n.py extract
	$(UV) run --frozen python scripts/i18n.py update
	$(UV) run --frozen python scripts/i18n.py compile

lint: python-deps
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

contracts: python-deps
	$(UV) run --frozen lint-imports

typecheck: python-deps ## mypy: the pure engines strictly, the rest as pyproject's [tool.mypy] says
	$(UV) run --frozen mypy --strict src/comeforward/law src/comeforward/risk src/comeforward/policy
	$(UV) run --frozen mypy

ci:
	bash .ci/run

clean:
	rm -rf .venv .tools node_modules static/vendor var
