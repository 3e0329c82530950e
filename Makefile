# Two commands on a fresh machine:  `make book`  and  `make test`.
# Both create .venv from the pinned requirements (once; again only when they change).
# System packages (Debian) come from one list, debian-packages.txt: `make system-packages` installs them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
ARGS   ?=
PERIOD ?=
JOBS   ?=
PACKAGE_LIST := debian-packages.txt
# the packages of one group (base, pdf, test) of debian-packages.txt
packages = $(shell sed -e 's/\#.*//' $(PACKAGE_LIST) | awk 'NF && $$2 == "$(1)" {print $$1}')

BUILD_ARGS := $(if $(JOBS),--jobs $(JOBS)) $(if $(PERIOD),-p period=$(PERIOD)) $(ARGS)

.PHONY: book pdf workshop grade test test-fast record setup reference validate lint lock bench clean help system-packages sync diff

help: ## this list (from the comments after each target)
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "variables: PERIOD=2019-06 (chapter 3 from another period, into _build/variants/), JOBS=N, ARGS=\"…\""

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# node_modules/ from package-lock.json (axe-core, the accessibility checker of the browser tests). Without npm
# (debian-packages.txt, group test) it says so; the tests then skip loudly, or fail in CI.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm is missing: the accessibility check cannot run (debian-packages.txt, group test)"; fi

setup: $(STAMP) $(NODE_STAMP) ## create .venv from requirements.txt and node_modules/ from package-lock.json (book and test do this themselves)

book: $(STAMP) ## execute the stale notebooks (papermill), render the HTML book, and the PDF where TeX is complete
	$(PY) -m aibook build --pdf auto $(BUILD_ARGS)

pdf: $(STAMP) ## the book with its PDF edition; fails, naming the packages, where TeX is incomplete
	$(PY) -m aibook pdf $(if $(PERIOD),-p period=$(PERIOD)) $(ARGS)

workshop: $(STAMP) ## write the student folder workshop/ (notebooks without solutions, data, setup sheet)
	$(PY) -m aibook workshop

grade: $(STAMP) ## grade a room: make grade DIR=submissions/ (CSV in results.csv, summary printed)
	$(PY) -m aibook grade $(or $(DIR),submissions) --out $(or $(OUT),results.csv)

test: $(STAMP) $(NODE_STAMP) ## run all tests, three layers: unit; book (nbval, builds, the workshop kit); browser and PDF
	$(PY) -m aibook test $(ARGS)

test-fast: $(STAMP) ## the inner loop: the unit layer only (package and data; no notebook executes)
	$(PY) -m aibook test --fast $(ARGS)

sync: $(STAMP) ## bring each MyST text file (notebooks/*.md) and its notebook in line, whichever was edited last; creates the notebook of a new .md
	$(VENV)/bin/jupytext --sync notebooks/*.md

reference: $(STAMP) ## regenerate the committed notebook outputs that nbval compares against
	$(PY) -m aibook reference $(ARGS)

record: $(STAMP) ## accept the numbers the committed notebooks show: make record REASON="why they changed"
	$(PY) -m aibook record --reason "$(REASON)"

diff: $(STAMP) ## the numbers that changed between two editions: make diff A=default B=period-2019-06 (or reference, a build folder)
	$(PY) -m aibook diff $(or $(A),reference) $(or $(B),default)

validate: $(STAMP) ## validate every file of the data package
	$(PY) -m aibook validate

lint: $(STAMP) ## ruff over the package, tests, tools and benchmarks
	$(PY) -m ruff check aibook tests tools benchmarks

bench: $(STAMP) ## build benchmarks (benchmarks/bench_build.py); results in _build/bench/results.json
	$(PY) benchmarks/bench_build.py

system-packages: ## install the Debian packages of debian-packages.txt (base, pdf, test; needs root or sudo)
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y --no-install-recommends \
	  $(call packages,base) $(call packages,pdf) $(call packages,test)

lock: $(STAMP) ## re-pin requirements.txt and environment.yml from requirements.in
	$(PY) -m pip install --quiet -r requirements.in
	( echo "# Pinned environment (Python 3.11). Generated from requirements.in by \`make lock\`; do not edit by hand."; \
	  $(PY) -m pip freeze --exclude-editable ) > requirements.txt
	$(PY) tools/lock.py

clean: ## remove _build/ (the book, the caches, the store of executed notebooks)
	rm -rf _build
