# Two commands on a fresh machine:  `make book`  and  `make test`.
# Both create .venv from the pinned requirements (once; again only when they change).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
ARGS   ?=
PERIOD ?=
JOBS   ?=

BUILD_ARGS := $(if $(JOBS),--jobs $(JOBS)) $(if $(PERIOD),-p period=$(PERIOD)) $(ARGS)

.PHONY: book test setup reference validate lint lock bench clean help

help:
	@echo "make book       set up .venv, execute the chapter notebooks (papermill), render the HTML book"
	@echo "                PERIOD=2019-06 builds chapter 3's industry tables for another period (into _build/variants/)"
	@echo "make test       set up .venv, run all tests (unit, data validation, nbval, build checks)"
	@echo "make reference  regenerate the committed notebook outputs nbval compares against"
	@echo "make validate   validate every file of the data package"
	@echo "make bench      run the build benchmarks (benchmarks/bench_build.py)"

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP)

book: $(STAMP)
	$(PY) -m aibook build $(BUILD_ARGS)

test: $(STAMP)
	$(PY) -m aibook test $(ARGS)

reference: $(STAMP)
	$(PY) -m aibook reference

validate: $(STAMP)
	$(PY) -m aibook validate

lint: $(STAMP)
	$(PY) -m ruff check aibook tests tools benchmarks

bench: $(STAMP)
	$(PY) benchmarks/bench_build.py

lock: $(STAMP)
	$(PY) -m pip install --quiet -r requirements.in
	( echo "# Pinned environment (Python 3.11). Generated from requirements.in by \`make lock\`; do not edit by hand."; \
	  $(PY) -m pip freeze --exclude-editable ) > requirements.txt
	$(PY) tools/lock.py

clean:
	rm -rf _build
