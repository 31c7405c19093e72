# Conveniences over the two README commands.
.PHONY: demo test bench
demo:
	pip install -c constraints.txt -e . && rashomon demo
test:
	pip install --require-hashes -r requirements/ci.lock && pip install --no-build-isolation --no-deps -e . && python -m pytest
bench:
	python bench/demo_gold.py && python bench/ingest.py
