"""ebRIM 3.0 / ebRS 3.0 wire codecs (sans-IO, lxml)."""
