"""Alembic migrations of the repository database (`dokdeling db upgrade`); version table
`repository_alembic_version`. Add one module per schema change under `versions/`."""
