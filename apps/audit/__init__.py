"""Append-only audit trail: who read and changed what, written in the same transaction."""
