"""dokdeling: IHE XDS.b document sharing for Norway's pasientens journaldokumenter.

This package is the launcher: the `dokdeling` command that assembles the services' commands.
"""

__version__ = "0.1.0"
