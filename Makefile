# 자활사례관리 성과 연구서 / research book
#   make book   책 전체 만들기 (build the whole book on the shipped data)
#   make test   모든 시험 실행 (run the test suite)
#   make test-fast  책 전체를 만들지 않는 시험만 (tests that do not build the whole book)
#   make pdf    PDF 한 권 만들기 (one PDF of the book)
#   make snapshot  공표 표 스냅숏 갱신 (refresh tests/snapshot from the default book)
#   make bench  성능 측정: 빌드 시간·메모리 표 (build benchmark table → _build/bench.json)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PARAMS ?= params/report-2023.yml
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.jahwal-installed

.PHONY: book test test-fast lint snapshot pdf bench bench-parts clean help

help:
	@sed -n '1,8p' Makefile

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/jahwal build --params $(PARAMS)

lint: $(STAMP)
	$(BIN)/ruff check lib tests bench
	$(BIN)/ruff format --check lib tests bench

test: lint
	$(BIN)/python -m jahwal.publish.browser ensure
	$(BIN)/python -m pytest

test-fast: lint
	$(BIN)/python -m pytest -m "not slow and not browser"

snapshot: book
	$(BIN)/jahwal snapshot --refresh

pdf: book
	$(BIN)/python -m jahwal.publish.browser ensure
	$(BIN)/jahwal pdf --html _build/html --out _build/pdf/book.pdf

bench: bench-parts
	$(BIN)/python bench/build.py

bench-parts: $(STAMP)
	$(BIN)/python bench/synth.py
	$(BIN)/python bench/qual.py
	$(BIN)/python bench/audit.py
	$(BIN)/python bench/disclosure.py

clean:
	rm -rf _build data/synthetic
