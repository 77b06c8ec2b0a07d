# The README's two commands: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint check-content clean

run: $(VENV)/.installed instance/secret_key
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app content check
	@echo "Serving Attract on http://127.0.0.1:8000 (Ctrl+C stops it)"
	exec $(BIN)/gunicorn app:app

test: $(VENV)/.installed-test
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

check-content: $(VENV)/.installed
	$(BIN)/flask --app app content check

$(VENV)/.created:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Attract needs Python 3.11 or newer (PYTHON=$(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.created
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# A random key, made once, readable only by its owner; instance/ is never committed.
instance/secret_key:
	@mkdir -p instance
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > $@
	@echo "Created $@ (keep it private; it signs sessions)."

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
