# Two commands do all the set-up: `make run` and `make test`. Each creates .venv if missing.
# `make install` then puts `reader` on your PATH (a link in ~/.local/bin to .venv/bin/reader).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PREFIX ?= $(HOME)/.local

.PHONY: run test lint bench install uninstall clean

$(BIN)/python:
	@echo "make: creating the virtualenv in $(VENV)/ (first run only)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	@echo "make: installing reader and its libraries into $(VENV)/ (first run: about a minute)"
	$(BIN)/python -m pip install --quiet --progress-bar off -e .
	@touch $@
	@echo "make: done; 'make install' puts 'reader' on your PATH"

$(VENV)/.installed-test: $(VENV)/.installed
	@echo "make: installing the test tools into $(VENV)/ (first run only)"
	$(BIN)/python -m pip install --quiet --progress-bar off -e '.[test]'
	@touch $@

run: $(VENV)/.installed
	$(BIN)/reader --workspace .

test: $(VENV)/.installed-test
	$(BIN)/ruff check reader tests bench
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python bench/sync_bench.py
	$(BIN)/python bench/ingest_bench.py

LINK := $(PREFIX)/bin/reader
TARGET := $(CURDIR)/$(BIN)/reader

install: $(VENV)/.installed
	@mkdir -p $(PREFIX)/bin
	@if [ -e "$(LINK)" -o -L "$(LINK)" ] && [ "$$(readlink "$(LINK)")" != "$(TARGET)" ]; then \
	  echo "make: $(LINK) exists and is not this reader's link; remove it first"; exit 1; fi
	ln -sfn $(TARGET) $(LINK)
	@case ":$$PATH:" in *":$(PREFIX)/bin:"*) echo "make: 'reader' is on your PATH ($(LINK))";; \
	  *) echo "make: linked $(LINK); add $(PREFIX)/bin to your PATH to call it 'reader'";; esac

uninstall:
	@if [ "$$(readlink "$(LINK)")" = "$(TARGET)" ]; then rm -f "$(LINK)"; \
	  echo "make: removed $(LINK)"; else echo "make: $(LINK) is not this reader's link; left"; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .grimp_cache .import_linter_cache build *.egg-info
