# Two commands for a newcomer: `make demo` (set up + main job) and `make test` (set up + tests).
# Both create the virtual environment .venv on first use and reinstall when pyproject.toml changes.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= nabij-demo

.PHONY: demo test lint web clean

demo: $(VENV)/.installed
	$(BIN)/nabij demo --out $(OUT)

# pytest's exit code 5 (no tests collected) is a failure of the test set-up, not a pass.
test: $(VENV)/.installed
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest verzamelde geen tests" >&2; exit 1; fi; exit $$rc

# mypy's Django plugin imports nabij.web.settings, which makes a data folder: keep it in the venv.
lint: $(VENV)/.installed
	$(BIN)/ruff check src tests bench
	NABIJ_DATA_DIR=$(VENV)/typecheck-web $(BIN)/mypy

web: $(VENV)/.installed
	$(BIN)/nabij web --demo

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

clean:
	rm -rf $(VENV) $(OUT)
