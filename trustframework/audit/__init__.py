"""The tamper-evident audit at the data-controlling source (docs/audit.md)."""
