"""Code-system data files (JSON) of the Norwegian profile, read by `schemas.norway.codes`."""
