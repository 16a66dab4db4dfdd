"""Norwegian texts of the demo's deviations: summaries, descriptions, first actions,
answers, rejection reasons and comments (flyt.demo.deviations draws from them).

Written for the demo, in the plain language of a case officer: no person names, no
national ids, no dates of birth. Capitalised words are only the organisations, units and
systems of the health community (tests/test_demo_deviations.py holds that), so a
"looks like a personal name" check has nothing to find. `{unit}` is filled with a unit
of the receiving side.
"""

from __future__ import annotations

from collections.abc import Mapping

# category -> (subcategory, summary) pairs; the subcategory is a free code (the spec)
SUMMARIES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "utskrivning": (
        ("epikrise", "Pasient utskrevet uten epikrise"),
        ("epikrise", "Epikrise kom tre dager etter at pasienten var hjemme"),
        ("utskrivningsklar", "Melding om utskrivningsklar pasient kom etter kl. 15"),
        ("utskrivningsklar", "Pasient meldt utskrivningsklar uten avklart behov for tjenester"),
        ("tidspunkt", "Pasient utskrevet sent på kvelden uten forvarsel til kommunen"),
        ("tidspunkt", "Utskrivning sent på ettermiddagen uten avtale med mottakende enhet"),
        ("funksjon", "Funksjonsnivå ved utskrivning annerledes enn beskrevet i meldingen"),
        ("sar", "Pasient utskrevet med sår uten beskrivelse av sårstell"),
        ("oppfolging", "Ingen plan for oppfølging etter utskrivning"),
        ("utskrivningsklar", "Pasient sendt til korttidsplass før kommunen hadde bekreftet plass"),
    ),
    "meldinger": (
        ("plo_manglende", "Manglende PLO-melding om innlagt pasient"),
        ("plo_forsinket", "Helseopplysninger ved innleggelse kom ikke fram"),
        ("plo_forsinket", "Svar på forespørsel om tjenester uteble"),
        ("plo_innhold", "Innholdet i PLO-meldingen var mangelfullt"),
        ("plo_feil_mottaker", "PLO-melding sendt til feil enhet i kommunen"),
        ("plo_manglende", "Ingen melding om at pasienten var døgnet utskrivningsklar"),
        ("dialogmelding", "Dialogmelding ikke besvart innen avtalt tid"),
        ("plo_innhold", "Pleieopplysninger manglet ved overføring"),
        ("avmelding", "Avmelding av utskrivningsklar pasient ble ikke sendt"),
    ),
    "legemidler": (
        ("legemiddelliste", "Pasient utskrevet uten oppdatert legemiddelliste"),
        ("legemiddelliste", "Legemiddellisten stemte ikke med det pasienten fikk på sykehuset"),
        ("resept", "Manglende resept på nye legemidler ved utskrivning"),
        ("medisiner_med", "Pasient fikk ikke med legemidler for helgen"),
        ("endring", "Seponert legemiddel sto fortsatt på listen"),
        ("multidose", "Multidose ikke endret etter endringer i behandlingen"),
    ),
    "hjelpemidler": (
        ("utstyr", "Pasient kom hjem uten nødvendige hjelpemidler"),
        ("utstyr", "Behov for sykehusseng ikke meldt før utskrivning"),
        ("forbruk", "Forbruksmateriell til stomi manglet ved hjemkomst"),
        ("opplaering", "Ingen opplæring i bruk av nytt utstyr før hjemreise"),
    ),
    "transport": (
        ("tidspunkt", "Pasient ankom korttidsavdelingen etter kl. 21"),
        ("bestilling", "Transport ikke bestilt, pasienten ventet i flere timer"),
        ("ledsager", "Pasient med behov for ledsager sendt alene med drosje"),
        ("tidspunkt", "Pasient ankom før avtalt tid, ingen personell var klar"),
    ),
    "tilgjengelighet": (
        ("telefon", "Fikk ikke kontakt med avdelingen på telefon"),
        ("telefon", "Kommunens tildelingskontor nådde ikke sykehuset før utskrivning"),
        ("svartid", "Lang svartid på henvendelse om pasient"),
        ("vakt", "Ingen tilgjengelig lege for avklaring på kveldstid"),
        ("telefon", "Legekontoret svarte ikke på telefon i kontortiden"),
        ("svartid", "Svar på henvendelse om kommunal plass kom ikke samme dag"),
    ),
    "informasjon": (
        ("mangelfull", "Mangelfull informasjon om pasientens behov for hjelp"),
        ("mangelfull", "Smittestatus ikke oppgitt ved overføring"),
        ("feil", "Feil opplysninger om pårørende og kontaktperson"),
        ("mangelfull", "Ernæringsstatus ikke beskrevet"),
        ("feil", "Opplysninger om hjemmeforhold var ikke oppdatert"),
        ("mangelfull", "Ingen informasjon om planlagte kontroller"),
    ),
    "innleggelse": (
        ("henvisning", "Innleggelse uten henvisningsskriv"),
        ("henvisning", "Henvisning manglet opplysninger om legemidler"),
        ("innleggelse", "Pasient innlagt uten at hjemmetjenesten ble varslet"),
        ("innleggelse", "Innleggelsesskriv uten opplysninger om funksjonsnivå"),
    ),
    "avtalebrudd": (
        ("tjenesteavtale_5", "Utskrivningsklar pasient ikke tatt imot innen avtalt tid"),
        ("tjenesteavtale_5", "Utskrivning uten at kommunen var varslet som avtalt"),
        ("tjenesteavtale_3", "Innleggelse uten at innleggelsesrutinen ble fulgt"),
        ("tjenesteavtale_9", "Elektronisk meldingsutveksling ikke fulgt som avtalt"),
        ("tjenesteavtale_2", "Individuell plan og koordinator ikke avklart som avtalt"),
    ),
    "annet": (
        ("annet", "Pasientens eiendeler ble ikke sendt med"),
        ("annet", "Uklart hvem som hadde ansvar for oppfølging"),
        ("annet", "Pasient ble sendt til feil adresse"),
    ),
}

# Summaries that say the event was late in the day: their events get an evening hour.
LATE: frozenset[str] = frozenset({
    "Melding om utskrivningsklar pasient kom etter kl. 15",
    "Pasient utskrevet sent på kvelden uten forvarsel til kommunen",
    "Utskrivning sent på ettermiddagen uten avtale med mottakende enhet",
    "Pasient ankom korttidsavdelingen etter kl. 21",
    "Ingen tilgjengelig lege for avklaring på kveldstid",
})

# category -> sentences; one or two make the description
DESCRIPTIONS: Mapping[str, tuple[str, ...]] = {
    "utskrivning": (
        "Pasienten kom til mottakende enhet uten at epikrise eller sykepleiesammenfatning "
        "var sendt.",
        "Mottakende enhet måtte ringe sykehuset for å få nødvendige opplysninger.",
        "Kommunen fikk ikke tid til å forberede tjenestene før pasienten kom.",
        "Hjemmesykepleien ble varslet først da pasienten var på vei hjem.",
        "Opplysningene i meldingen samsvarte ikke med pasientens tilstand ved ankomst.",
    ),
    "meldinger": (
        "Meldingen ble ikke mottatt i fagsystemet, og kommunen fikk ikke vite om innleggelsen.",
        "Kommunen fikk vite om innleggelsen fra pårørende.",
        "Forespørselen ble liggende uten svar i flere dager.",
        "Meldingen manglet opplysninger om hjelpebehov og legemidler.",
        "Det er uklart om feilen ligger i meldingsoppsettet eller i rutinen.",
    ),
    "legemidler": (
        "Hjemmesykepleien måtte kontakte legevakt for å få riktige legemidler.",
        "Det ble oppdaget avvik mellom legemiddellisten og det pasienten hadde med seg.",
        "Pasienten sto uten legemidler fram til apoteket åpnet.",
        "Endringene i behandlingen var ikke beskrevet i epikrisen.",
    ),
    "hjelpemidler": (
        "Hjelpemidlene måtte skaffes samme kveld fra det kommunale lageret.",
        "Pasienten kunne ikke forflytte seg trygt før utstyret var på plass.",
        "Behovet var kjent på sykehuset, men ble ikke meldt videre.",
    ),
    "transport": (
        "Personalet ved mottakende enhet var ikke forberedt på pasientens ankomst.",
        "Pasienten var sliten og uten mat da hen kom fram.",
        "Transporttidspunktet var ikke avtalt med mottakende enhet.",
    ),
    "tilgjengelighet": (
        "Det ble ringt flere ganger uten svar.",
        "Saken kunne ikke avklares før neste virkedag.",
        "Avtalt kontaktpunkt var ikke bemannet.",
    ),
    "informasjon": (
        "Opplysningene som fulgte pasienten var ikke tilstrekkelige for trygg oppfølging.",
        "Mottakende enhet måtte innhente opplysningene selv.",
        "Manglende informasjon førte til forsinket oppstart av tjenester.",
    ),
    "innleggelse": (
        "Sykehuset måtte innhente opplysninger fra hjemmetjenesten i etterkant.",
        "Innleggende lege hadde ikke tilgang til oppdatert legemiddelliste.",
        "Henvisningen manglet opplysninger som var avgjørende for vurderingen.",
    ),
    "avtalebrudd": (
        "Hendelsen er ikke i tråd med samarbeidsavtalen mellom partene.",
        "Tilsvarende hendelser er meldt tidligere, og det bes om en gjennomgang av rutinen.",
        "Rutinen i avtalen ble ikke fulgt, og det gikk ut over samhandlingen.",
    ),
    "annet": (
        "Hendelsen ble oppdaget ved ankomst.",
        "Det tok flere dager å rette opp feilen.",
    ),
}

IMMEDIATE_ACTIONS: tuple[str, ...] = (
    "Kontaktet avdelingen på telefon og fikk opplysningene muntlig.",
    "Legevakt kontaktet for å sikre riktige legemidler.",
    "Hjelpemidler lånt fra kommunens korttidslager.",
    "Pasienten fulgt opp av hjemmesykepleien samme kveld.",
    "Ba om at epikrise sendes snarest.",
    "Fastlegen orientert.",
    "Avklart med vakthavende sykepleier.",
)

# category -> written answers from the receiver
ANSWERS: Mapping[str, tuple[str, ...]] = {
    "utskrivning": (
        "Vi beklager hendelsen. Rutinen for utsendelse av epikrise er gjennomgått med "
        "avdelingen, og epikrise skal sendes samme dag som utskrivning.",
        "Saken er gjennomgått i avdelingens kvalitetsmøte. Utskrivning etter kl. 15 skal "
        "avtales med kommunen på forhånd.",
        "Vi har tatt hendelsen opp med teamet som skrev ut pasienten og minnet om "
        "prosedyren for samarbeid ved utskrivning.",
    ),
    "meldinger": (
        "Feilen skyldtes et oppsett i meldingsløsningen, som nå er rettet.",
        "Rutinen for å sende melding ved innleggelse er repetert for personalet.",
        "Meldingen ble sendt til feil adresse i adresseregisteret. Adressen er oppdatert.",
    ),
    "legemidler": (
        "Vi beklager. Legemiddelsamstemming ved utskrivning er tatt opp i fagmøte.",
        "Avdelingen har innført en ekstra kontroll av legemiddellisten før utskrivning.",
    ),
    "hjelpemidler": (
        "Behov for hjelpemidler skal heretter meldes i forespørselen til kommunen.",
        "Vi har gjennomgått saken og minnet om å avklare hjelpemidler før utskrivning.",
    ),
    "transport": (
        "Transport skal bestilles slik at pasienten er framme før kl. 20. Rutinen er "
        "gjentatt for personalet.",
        "Vi beklager ventetiden. Bestillingsrutinen er gjennomgått.",
    ),
    "tilgjengelighet": (
        "Telefonlisten er oppdatert, og vi har opprettet et fast kontaktnummer.",
        "Vi har sett på bemanningen av telefonen på ettermiddagstid.",
    ),
    "informasjon": (
        "Sjekklisten for overføring er oppdatert med de manglende punktene.",
        "Saken er tatt opp med de ansatte som var involvert.",
    ),
    "innleggelse": (
        "Innleggende lege er orientert om kravene til innleggelsesskriv.",
        "Rutinen for varsling av hjemmetjenesten ved innleggelse er repetert.",
    ),
    "avtalebrudd": (
        "Saken er drøftet i samhandlingsmøtet, og partene er enige om å følge "
        "avtalen slik den er skrevet.",
        "Vi tar hendelsen på alvor og har gått gjennom rutinen etter avtalen med "
        "lederne i enhetene.",
    ),
    "annet": (
        "Saken er gjennomgått, og vi har rettet rutinen.",
    ),
}

REJECTION_REASONS: tuple[str, ...] = (
    "Ikke et samhandlingsavvik: hendelsen gjelder en intern rutine og er meldt i eget "
    "kvalitetssystem.",
    "Samme hendelse er meldt tidligere og behandles der.",
    "Feil mottaker: saken gjelder en annen part i helsefellesskapet.",
    "Hendelsen kan ikke gjenfinnes ut fra opplysningene i meldingen.",
)

ACKNOWLEDGE_COMMENTS: tuple[str | None, ...] = (
    None, None, None,
    "Mottatt og sendt til enhetsleder.",
    "Mottatt, saken følges opp av avdelingen.",
)
HANDLING_COMMENTS: tuple[str | None, ...] = (
    None, None,
    "Sendt til avdelingen for gjennomgang.",
    "Innhenter opplysninger fra de involverte.",
)
CLOSE_COMMENTS: tuple[str | None, ...] = (None, "Takk for svaret.", "Tiltakene er gode.")
REOPEN_COMMENTS: tuple[str, ...] = (
    "Svaret sier ikke hvilke tiltak som er satt i verk.",
    "Vi mener dette er et samhandlingsavvik og ber om ny vurdering.",
    "Det har skjedd igjen etter svaret; vi ber om en ny gjennomgang.",
)
RESUME_COMMENTS: tuple[str | None, ...] = (None, "Tatt opp igjen til ny vurdering.")

# direction's agreement clauses (level system and some avtalebrudd); illustrative
# numbering after the statutory list of tjenesteavtaler (helse- og omsorgstjenesteloven
# § 6-2): 2 coordinated services, 3 admission, 5 discharge, 9 electronic collaboration
CLAUSES: Mapping[str, tuple[str, ...]] = {
    "tjenesteavtale_2": ("tjenesteavtale 2 §4.1",),
    "tjenesteavtale_3": ("tjenesteavtale 3 §4.2", "tjenesteavtale 3 §5"),
    "tjenesteavtale_5": ("tjenesteavtale 5 §4.3", "tjenesteavtale 5 §6.1"),
    "tjenesteavtale_9": ("tjenesteavtale 9 §3",),
}
DEFAULT_CLAUSES: tuple[str, ...] = ("tjenesteavtale 5 §4.3", "tjenesteavtale 9 §3",
                                   "tjenesteavtale 3 §4.2")
