# Everything the project needs is installed by these targets: a venv with pinned packages,
# bun from the npm registry (Reflex's frontend tool), and Debian packages for the browser tests,
# the local interviewer's voice and Redis. Each step is skipped when already done.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
BUN_VERSION := 1.4.5
BUN := .tools/node_modules/.bin/bun
AXE_VERSION := 4.14.1
AXE := .tools/node_modules/axe-core/axe.min.js
APT_PACKAGES := chromium redis-server espeak-ng

export PATH := $(CURDIR)/.tools/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export REFLEX_SHOW_BUILT_WITH_REFLEX := false
export PYTHONDONTWRITEBYTECODE := 1
# Reflex probes registries for speed unless told which one to use: ask npm, never hard-code it.
export NPM_CONFIG_REGISTRY := $(shell npm config get registry 2>/dev/null)

.PHONY: run test bench bootstrap system-deps stop-db invite clean

run: bootstrap system-deps
	$(PY) -m interview_app.cli.dev

test: bootstrap system-deps
	$(PY) -m pytest

bench: bootstrap system-deps
	$(PY) -m tests.bench.start_session
	$(PY) -m tests.bench.realtime
	$(PY) -m tests.bench.page

bootstrap: $(VENV)/.installed $(BUN) $(AXE)

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

$(BUN):
	npm install --silent --no-audit --no-fund --prefix .tools bun@$(BUN_VERSION)

# axe-core: the accessibility checker the browser tests inject into each screen.
$(AXE):
	npm install --silent --no-audit --no-fund --prefix .tools axe-core@$(AXE_VERSION)

# Debian packages: Chromium (browser tests), redis-server (multi-worker test), espeak-ng (voice).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v espeak-ng >/dev/null || missing="$$missing espeak-ng"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

stop-db:
	$(PY) -c "from interview_app.storage.embedded import stop_recorded; from interview_app.config import get_settings; stop_recorded(get_settings().data_dir)"

invite: bootstrap
	$(PY) -m interview_app.cli.invite $(APP)

clean:
	rm -rf .web .states test-artifacts
