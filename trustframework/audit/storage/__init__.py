"""SQLAlchemy storage of the audit: records, the chain head, the delivery outbox, destinations."""
