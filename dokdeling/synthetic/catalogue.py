"""The kinds of document the generator makes, with their Volven 9602 codes and their share.

`NUFA_MIX` follows the distribution of document types in Norway's national document sharing
(NUFA): poliklinisk epikrise 41 %, epikrise 38 %, bildediagnostiske svar 12 %; the remaining 9 %
is spread over other 9602 types. Every kind is one the default kjernejournal allow-list
(`DOKDELING_VALIDATION_DOCUMENT_TYPES`: A00-1, C00-1, E00-1, I01-2) accepts, so the generated
data passes the default `norway` validation profile; other classes (B, D, F, J, S) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from dokdeling.synthetic.organisations import ELVEBAKKEN, FJELLHEIM, HOSPITALS, Organisation
from schemas.model.common import Code, international
from schemas.norway import oids


def _volven(code: str, display: str) -> Code:
    return Code(code=code, scheme=oids.DOKUMENTTYPE, display=international(display))


def _setting(code: str, display: str) -> Code:
    return Code(code=code, scheme=oids.TJENESTETYPE, display=international(display))


_EPIKRISER = _volven("A00-1", "Epikriser og sammenfatninger")
_PROVESVAR = _volven("C00-1", "Prøvesvar, vev og væsker")
_BILDEDIAGNOSTIKK = _volven("E00-1", "Bildediagnostikk")
_KORRESPONDANSE = _volven("I00-1", "Korrespondanse")
_ELECTIVE = _setting("3", "Pasientmottak, elektiv")
_EMERGENCY = _setting("6", "Akuttmottak")
_REFERRAL = _setting("5", "Vurdering av henvisning")


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentKind:
    """One kind of clinical document: its codes, who writes it and what it says."""

    key: str
    class_code: Code
    type_code: Code
    practice_setting: Code
    publishers: tuple[Organisation, ...]
    titles: tuple[str, ...]
    findings: tuple[str, ...]
    """Sentences the generated text picks from."""

    @property
    def label(self) -> str:
        return self.type_code.display_text


EPIKRISE = DocumentKind(
    key="epikrise",
    class_code=_EPIKRISER,
    type_code=_volven("A03-2", "Epikrise"),
    practice_setting=_EMERGENCY,
    publishers=HOSPITALS,
    titles=(
        "Epikrise etter innleggelse for pneumoni",
        "Epikrise etter innleggelse for atrieflimmer",
        "Epikrise etter hoftebruddoperasjon",
        "Epikrise etter innleggelse for hjerneslag",
        "Epikrise etter innleggelse for KOLS-forverring",
    ),
    findings=(
        "Pasienten ble innlagt via akuttmottaket med feber og tung pust.",
        "Behandlet med intravenøs antibiotika i fire døgn med god effekt.",
        "Ved utskrivning er pasienten afebril og mobiliseres uten hjelp.",
        "Fastlegen bes kontrollere CRP og hemoglobin om to uker.",
        "Legemiddellisten er gjennomgått og avstemt ved utskrivning.",
    ),
)
POLIKLINISK_EPIKRISE = DocumentKind(
    key="poliklinisk-epikrise",
    class_code=_EPIKRISER,
    type_code=_volven("A13-2", "Poliklinisk epikrise"),
    practice_setting=_ELECTIVE,
    publishers=HOSPITALS,
    titles=(
        "Poliklinisk epikrise, kardiologisk poliklinikk",
        "Poliklinisk epikrise, nevrologisk poliklinikk",
        "Poliklinisk epikrise, ortopedisk kontroll",
        "Poliklinisk epikrise, diabetespoliklinikken",
    ),
    findings=(
        "Pasienten møtte til planlagt kontroll på poliklinikken.",
        "Klinisk undersøkelse viser ingen nye funn.",
        "Blodtrykket er velregulert på nåværende behandling.",
        "Ny kontroll om seks måneder, innkalling kommer i posten.",
    ),
)
RADIOLOGISVAR = DocumentKind(
    key="radiologisvar",
    class_code=_BILDEDIAGNOSTIKK,
    type_code=_volven("E01-2", "Bildediagnostiske svar"),
    practice_setting=_ELECTIVE,
    publishers=(*HOSPITALS, FJELLHEIM),
    titles=(
        "Røntgen thorax",
        "CT caput uten kontrast",
        "MR kne, høyre side",
        "Ultralyd abdomen",
    ),
    findings=(
        "Ingen fortetninger eller pleuravæske.",
        "Ingen tegn til blødning eller infarkt.",
        "Normal fremstilling av menisker og korsbånd.",
        "Lever, galleveier og nyrer uten patologiske funn.",
    ),
)
HENVISNING = DocumentKind(
    key="henvisning",
    class_code=_KORRESPONDANSE,
    type_code=_volven("I01-2", "Henvisninger"),
    practice_setting=_REFERRAL,
    publishers=(ELVEBAKKEN,),
    titles=(
        "Henvisning til kardiologisk utredning",
        "Henvisning til MR kne",
        "Henvisning til nevrologisk poliklinikk",
    ),
    findings=(
        "Pasienten har hatt brystsmerter ved anstrengelse siste måned.",
        "Vedvarende smerter og hevelse i kneet etter fall.",
        "Tilbakevendende hodepine med synsforstyrrelser.",
    ),
)


def _other(key: str, class_code: Code, type_code: Code, title: str, finding: str) -> DocumentKind:
    return DocumentKind(
        key=key,
        class_code=class_code,
        type_code=type_code,
        practice_setting=_ELECTIVE,
        publishers=HOSPITALS,
        titles=(title,),
        findings=(finding,),
    )


BIOKJEMI = _other(
    "biokjemi", _PROVESVAR, _volven("C01-2", "Medisinsk biokjemi"),
    "Blodprøvesvar", "Hemoglobin, CRP og kreatinin innenfor referanseområdet.",
)  # fmt: skip
MIKROBIOLOGI = _other(
    "mikrobiologi", _PROVESVAR, _volven("C03-2", "Mikrobiologi, virologi og serologi"),
    "Urindyrkning", "Ingen vekst etter to døgn.",
)  # fmt: skip
PATOLOGI = _other(
    "patologi", _PROVESVAR, _volven("C04-2", "Patologi, histologi og cytologi"),
    "Histologisk undersøkelse av hudbiopsi", "Benign nevus, fjernet i sin helhet.",
)  # fmt: skip
SYKEPLEIESAMMENFATNING = _other(
    "sykepleiesammenfatning", _EPIKRISER, _volven("A04-2", "Sykepleiesammenfatning"),
    "Sykepleiesammenfatning ved utskrivning", "Trenger hjelp til sårstell annenhver dag.",
)  # fmt: skip
TVERRFAGLIG_SAMMENFATNING = _other(
    "tverrfaglig-sammenfatning", _EPIKRISER, _volven("A11-2", "Tverrfaglig sammenfatning"),
    "Tverrfaglig sammenfatning etter rehabilitering", "Går med rullator, klarer trapper.",
)  # fmt: skip

NUFA_MIX: tuple[tuple[DocumentKind, float], ...] = (
    (POLIKLINISK_EPIKRISE, 0.41),
    (EPIKRISE, 0.38),
    (RADIOLOGISVAR, 0.12),
    (HENVISNING, 0.03),
    (BIOKJEMI, 0.02),
    (MIKROBIOLOGI, 0.01),
    (PATOLOGI, 0.01),
    (SYKEPLEIESAMMENFATNING, 0.01),
    (TVERRFAGLIG_SAMMENFATNING, 0.01),
)
"""Each kind and its share of all documents; the shares add up to 1."""
