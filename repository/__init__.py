"""Document Repository actor (ITI-41, ITI-43, ITI-86)."""
