"""The repository's flows (ITI-41, ITI-43, ITI-86, registration, reconciliation), written
against the Protocols of `repository.services.ports`."""
