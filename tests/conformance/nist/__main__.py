"""`python -m tests.conformance.nist --registry URL --repository URL DIR...` (see cli.py)."""

from tests.conformance.nist.cli import main

main()
