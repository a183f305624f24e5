"""dokdeling's shared XDS core: domain model, wire codecs, validation, Norwegian profile.

Pure: no Flask, no SQLAlchemy, no network or file I/O beyond reading its own package data.
Imports nothing from `registry`, `repository` or `trustframework`.
"""
