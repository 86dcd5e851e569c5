"""Open Referral HSDS 3.0 for the directory (DOMAIN.md §9, docs/hsds.md).

- ``spec``: the official schemas and examples, read from ``../shared/hsds-3.0`` (or
  ``$PROSTIR_SHARED_DIR/hsds-3.0``), never copied here; strict validation with a report per
  problem (where in the object, which schema rule).
- ``taxonomies``: the taxonomies Prostir publishes its codes in (КАТОТТГ, the classifier of
  social services, sectors, needs, categories of persons, Prostir's own terms).
- ``mapping``: models → HSDS objects (organization, service, location, …).
- ``selectors``: what is published (public services of active organisations).
- ``exporter`` / ``importer``: the work of ``export_hsds`` and ``import_hsds``.
"""
