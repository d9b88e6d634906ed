# Everything the project needs is installed by these targets: a venv with pinned packages,
# bun from the npm registry (Reflex's frontend tool), and Debian packages for the browser tests,
# the local interviewer's voice, Redis and Caddy. Each step is skipped when already done.
# Reflex's own settings (bun, telemetry, version check, registry) come from rxconfig.py, so
# `make run` and a plain `reflex run` behave the same.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
BUN_VERSION := 1.4.5
BUN := .tools/node_modules/.bin/bun
AXE_VERSION := 4.14.1
PYRIGHT_VERSION := 1.1.414
PYRIGHT := .tools/node_modules/.bin/pyright
AXE := .tools/node_modules/axe-core/axe.min.js
# Lighthouse for `make bench` (12.x: 13 wants Node 22), in its own folder so its many packages stay
# apart from bun, pyright and axe-core.
LIGHTHOUSE_VERSION := 12.2.3
LIGHTHOUSE := .tools/lighthouse/node_modules/.bin/lighthouse
# Debian package = the command it provides.
APT_PACKAGES := chromium=chromium chromium-headless-shell=chromium-headless-shell redis-server=redis-server espeak-ng=espeak-ng caddy=caddy
# The venv is up to date when its stamp holds the hash of the pinned requirements: Reflex touches
# requirements.txt on every `reflex init`, so modification times would reinstall for nothing.
REQUIREMENTS_HASH = $(shell cat requirements.txt requirements-dev.txt constraints.txt | sha256sum | cut -d' ' -f1)

export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run prod test lint bench bench-lighthouse bootstrap venv system-deps stop-db invite rescore reviewer-link clean \
	demo-app demo-link demo-reset

run: bootstrap system-deps
	$(VENV)/bin/reflex run

prod: bootstrap system-deps
	$(PY) -m interview_app.cli.prod

test: bootstrap system-deps lint
	$(PY) -m pytest

# The house-style gate (pyproject.toml): ruff lint and format, pyright (basic) over the code and tests.
lint: bootstrap
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PYRIGHT)

bench: bootstrap system-deps $(LIGHTHOUSE)
	$(PY) -m tests.bench.start_session
	$(PY) -m tests.bench.lifecycle
	$(PY) -m tests.bench.workers
	$(PY) -m tests.bench.realtime
	$(PY) -m tests.bench.state_size
	$(PY) -m tests.bench.page
	$(PY) -m tests.bench.scoring
	$(PY) -m tests.bench.review
	$(PY) -m tests.bench.lighthouse

# Only the Lighthouse part of `make bench` (mobile score of the interview page and of a blank Reflex
# app; LIGHTHOUSE_BASELINE=0 skips the blank app).
bench-lighthouse: bootstrap system-deps $(LIGHTHOUSE)
	$(PY) -m tests.bench.lighthouse

bootstrap: venv $(BUN) $(AXE) $(PYRIGHT)

venv:
	@if [ "$$(cat $(VENV)/.installed 2>/dev/null)" != "$(REQUIREMENTS_HASH)" ]; then \
	  set -e; test -x $(PY) || $(PYTHON) -m venv $(VENV); \
	  echo "installing Python packages into $(VENV)"; \
	  $(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt; \
	  echo "$(REQUIREMENTS_HASH)" > $(VENV)/.installed; \
	fi

$(BUN):
	npm install --silent --no-audit --no-fund --prefix .tools bun@$(BUN_VERSION)

# pyright: the type checker of `make lint` (from the npm registry; PyPI's wrapper downloads at run time).
$(PYRIGHT):
	npm install --silent --no-audit --no-fund --prefix .tools pyright@$(PYRIGHT_VERSION)

$(LIGHTHOUSE):
	npm install --silent --no-audit --no-fund --prefix .tools/lighthouse lighthouse@$(LIGHTHOUSE_VERSION)

# axe-core: the accessibility checker the browser tests inject into each screen.
$(AXE):
	npm install --silent --no-audit --no-fund --prefix .tools axe-core@$(AXE_VERSION)

# Debian packages: Chromium and its headless shell (browser tests), redis-server (Reflex state for several workers),
# espeak-ng (the interviewer's voice), caddy (the reverse proxy in front of `make prod`).
system-deps:
	@missing=""; \
	for pair in $(APT_PACKAGES); do \
	  command -v "$${pair#*=}" >/dev/null || missing="$$missing $${pair%%=*}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

stop-db:
	$(PY) -c "from interview_app.storage.embedded import stop_recorded; from interview_app.config import get_settings; stop_recorded(get_settings().data_dir)"

invite: bootstrap
	$(PY) -m interview_app.cli.invite $(APP)

# The development demo (interview_app/cli/demo.py), on the embedded database of `make run` (FORCE=1
# to use the demo-marked applications of MONGODB_URI). No bootstrap here: `make -s demo-app` prints
# only the id, for the README's curl.
demo-app:
	@$(PY) -m interview_app.cli.demo app $(if $(FORCE),--force)

demo-link:
	@$(PY) -m interview_app.cli.demo link $(if $(FORCE),--force)

demo-reset:
	@$(PY) -m interview_app.cli.demo reset $(if $(FORCE),--force)

# Queue a session for scoring again (its current result is kept in scoring.history).
rescore: bootstrap
	$(PY) -m interview_app.cli.rescore $(SESSION)

# A /review link for someone of the hiring team (8 hours): make reviewer-link WHO=alice@example.com
reviewer-link: bootstrap
	$(PY) -m interview_app.cli.reviewer_link "$(WHO)"

clean:
	rm -rf .web .web-* .states .states-* test-artifacts
