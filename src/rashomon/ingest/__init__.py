"""Formats to Article: one reader per input format, behind :func:`iter_articles`."""
