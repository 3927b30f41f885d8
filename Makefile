# comeforward — two commands: `make demo` and `make test`. Both set up what they need.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
export UV_PYTHON ?= 3.11
APT_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 hashdeep sleuthkit poppler-utils mtools wbritish-small \
	ewf-tools libxml2-utils dosfstools e2fsprogs ntfs-3g exfatprogs fdisk gdisk gcc libssl-dev

.PHONY: demo test setup python-deps assets system-deps lint contracts ci clean

demo: setup ## set up everything and run the demo (web server + background worker)
	DJANGO_SETTINGS_MODULE=comeforward.web.settings.dev $(UV) run comeforward demo

test: setup ## run the test suite (SQLite; browser tests too when Chromium is present)
	$(UV) run pytest -q -n 2 --dist loadgroup

setup: system-deps python-deps assets

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

python-deps: $(UV)
	$(UV) sync --all-extras --frozen 2>/dev/null || $(UV) sync --all-extras

assets: node_modules/.package-lock.json
	npm run --silent build

node_modules/.package-lock.json: package.json
	npm ci --no-audit --no-fund 2>/dev/null || npm install --no-audit --no-fund

system-deps: ## Debian packages the browser tests, PDFs and disk-image tests need
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: python-deps
	$(UV) run ruff check .
	$(UV) run ruff format --check .

contracts: python-deps
	$(UV) run lint-imports

ci:
	bash .ci/run

clean:
	rm -rf .venv node_modules static/vendor var
