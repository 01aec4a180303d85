# Nadir: `make run` opens QGIS with the plugin and the sandbox; `make test` runs every check.
# Both install what is missing first (apt packages as root, a virtualenv on Debian's Python
# that sees QGIS, pinned Python packages, pinned Node tools).
SHELL := /bin/bash
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VENV ?= $(ROOT)/.venv
PY := $(VENV)/bin/python
export VENV

.DEFAULT_GOAL := help
.PHONY: help setup system venv node run test test-clock test-lts test-next lint package translations bench clean

help:
	@echo "make run       set up, start the sandbox and open QGIS with Nadir and a demo project"
	@echo "make test      set up and run lint, types and the unit, qgis and e2e test tiers (QGIS 3.22)"
	@echo "make test-clock the unit and sandbox tiers with the clock 400 days ahead (libfaketime)"
	@echo "make test-lts  the same suite on QGIS 3.40 LTR in a cached Debian trixie root (needs root)"
	@echo "make test-next the same suite on QGIS 3.44 (current LTR line) in a cached Debian sid root (needs root)"
	@echo "make package   build dist/nadir-<version>.zip (the .qm translations built first)"
	@echo "make translations re-extract the user strings into resources/i18n/*.ts and build the .qm"
	@echo "make bench     run the benchmarks in bench/ (JSON lines)"

system:
	@$(ROOT)/scripts/ensure_system.sh

venv: system
	@$(ROOT)/scripts/ensure_venv.sh

node: system
	@$(ROOT)/scripts/ensure_node.sh

setup: system venv node

run: setup
	@$(ROOT)/scripts/run.sh

test: setup
	@$(ROOT)/scripts/test.sh

test-clock: setup
	@TIERS=clock $(ROOT)/scripts/test.sh

test-lts:
	@NADIR_SUITE=trixie $(ROOT)/scripts/lts.sh make -C /nadir test

test-next:
	@NADIR_SUITE=sid $(ROOT)/scripts/lts.sh make -C /nadir test

lint: venv
	@TIERS=lint $(ROOT)/scripts/test.sh

package: venv
	@$(PY) $(ROOT)/scripts/package.py

translations: venv
	@$(PY) $(ROOT)/scripts/i18n.py extract
	@$(PY) $(ROOT)/scripts/i18n.py build

bench: setup
	@$(ROOT)/scripts/bench.sh

clean:
	rm -rf $(ROOT)/dist $(ROOT)/.cache $(ROOT)/.qgis-settings $(ROOT)/tests/e2e/artifacts
