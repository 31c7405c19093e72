# Conveniences over the two README commands.
.PHONY: demo test bench
demo:
	pip install -c constraints.txt -e . && rashomon demo
test:
	pip install -c constraints.txt -e ".[test,postgres,train]" && python -m pytest
bench:
	python bench/demo_gold.py && python bench/ingest.py
