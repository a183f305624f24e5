"""Document Registry actor (ITI-42, ITI-18, ITI-57, ITI-62)."""
