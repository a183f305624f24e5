"""Alembic migrations of the registry database (`dokdeling db upgrade`); version table
`registry_alembic_version`. Add one module per schema change under `versions/`."""
