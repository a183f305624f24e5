"""Synthetic Norwegian health data for demos and benchmarks: people with Tenor-style
fødselsnummer, fictional organisations with valid organisation numbers, clinical documents as
small PDFs with Volven-coded XDS metadata that passes the default `norway` profile."""

from dokdeling.synthetic.catalogue import NUFA_MIX, DocumentKind
from dokdeling.synthetic.generator import GeneratorSettings, SyntheticData
from dokdeling.synthetic.metadata import SyntheticDocument, SyntheticSubmission
from dokdeling.synthetic.organisations import ORGANISATIONS, Organisation
from dokdeling.synthetic.people import Patient, Practitioner, synthetic_national_id

__all__ = [
    "NUFA_MIX",
    "ORGANISATIONS",
    "DocumentKind",
    "GeneratorSettings",
    "Organisation",
    "Patient",
    "Practitioner",
    "SyntheticData",
    "SyntheticDocument",
    "SyntheticSubmission",
    "synthetic_national_id",
]
