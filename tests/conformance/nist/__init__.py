"""Replaying the NIST XDS testkit against a deployment: `python -m tests.conformance.nist`.

Reading tests (`reader`, `testplan`), translating and preparing their messages (`translate`,
`prepare`, `messages`), running and judging them (`runner`, `steps`, `outcome`, `contents`,
`assertions`, `retrieval`) over HTTP (`client`, `devtokens`). See docs/nist-testkit.md.
"""
