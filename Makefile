# Two commands on a fresh machine:  `make book`  and  `make test`.
# Both create .venv from the pinned requirements (once; again only when they change).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
ARGS   ?=
TEX_PACKAGES := texlive-xetex texlive-lang-chinese texlive-latex-extra texlive-latex-recommended latexmk fonts-noto-cjk
PERIOD ?=
JOBS   ?=

BUILD_ARGS := $(if $(JOBS),--jobs $(JOBS)) $(if $(PERIOD),-p period=$(PERIOD)) $(ARGS)

.PHONY: book pdf workshop test setup reference validate lint lock bench clean help

help:
	@echo "make book       set up .venv, execute the chapter notebooks (papermill), render the HTML book"
	@echo "                PERIOD=2019-06 builds chapter 3's industry tables for another period (into _build/variants/)"
	@echo "make pdf        the PDF edition (xelatex + xeCJK; needs: $(TEX_PACKAGES))"
	@echo "make workshop   write the student folder workshop/ (notebooks without solutions, data, setup sheet)"
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
	$(PY) -m aibook pdf --if-available $(if $(PERIOD),-p period=$(PERIOD))

pdf: $(STAMP)
	$(PY) -m aibook pdf $(if $(PERIOD),-p period=$(PERIOD))

workshop: $(STAMP)
	$(PY) -m aibook workshop

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
