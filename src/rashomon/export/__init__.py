"""Export contract v1: JSONL and CSV writers validated against the shipped JSON Schemas."""
