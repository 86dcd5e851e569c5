"""Organisations (hubs and partners), their locations, rooms and services."""
