"""Delivery of audit records to each data controller's receiver, from the durable outbox."""
