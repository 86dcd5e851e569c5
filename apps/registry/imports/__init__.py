"""Bulk import of persons (with households, documents, categories and consent) from CSV or
XLSX: a downloadable template, checks before the job is queued, a background task that
imports in atomic batches, and a report of every problem by line. The decisions are in the
docstrings of ``models``, ``reading`` and ``services``."""
