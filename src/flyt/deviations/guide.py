"""The words of the "low-threshold learning package": what each category and severity
means, with a realistic example, in Norwegian and English. The report form
(/avvik/ny) and the guide (/avvik/veileder) both take them from here, so they say the
same thing. The names of the codes are the annual report's (flyt.deviations.annual.label).

The examples are invented: no patient, person or event behind them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flyt.deviations import annual, codes


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    explanation: str
    example: str


# code -> language -> (explanation, example)
CATEGORIES: dict[str, dict[str, tuple[str, str]]] = {
    "meldinger": {
        "nb": ("Elektroniske meldinger mellom sykehus, kommune og fastlege (PLO-meldinger, "
               "epikrise, henvisning) som ikke kom, kom for sent, gikk til feil mottaker "
               "eller hadde feil innhold.",
               "Kommunen fikk ingen innleggelsesrapport; første melding om pasienten var at "
               "hun var utskrivningsklar dagen etter."),
        "en": ("Electronic messages between hospital, municipality and GP (PLO messages, "
               "discharge summary, referral) that never came, came late, went to the wrong "
               "receiver or held the wrong content.",
               "The municipality got no admission report; the first message about the "
               "patient said she was ready for discharge the next day."),
    },
    "innleggelse": {
        "nb": ("Innleggelse i sykehus: innleggelsesskriv, henvisning og opplysninger fra "
               "kommunen eller fastlegen da pasienten ble lagt inn.",
               "Pasient fra sykehjem ble sendt til akuttmottaket uten innleggelsesskriv og "
               "uten oppdatert legemiddelliste."),
        "en": ("Admission to hospital: the admission letter, the referral and what the "
               "municipality or the GP told the hospital when the patient was admitted.",
               "A nursing home resident was sent to the emergency department without an "
               "admission letter or an up-to-date medicine list."),
    },
    "utskrivning": {
        "nb": ("Utskrivning fra sykehus: melding om utskrivningsklar pasient, epikrise, "
               "planlegging og avtalt tidspunkt for utskrivning.",
               "Pasienten ble meldt utskrivningsklar kl. 15 en fredag og sendt hjem samme "
               "kveld før kommunen hadde bekreftet at den kunne ta imot."),
        "en": ("Discharge from hospital: the notice that a patient is ready for discharge, "
               "the discharge summary, planning and the agreed time of discharge.",
               "The patient was declared ready for discharge at 3 pm on a Friday and sent "
               "home that evening before the municipality had confirmed it could receive "
               "him."),
    },
    "legemidler": {
        "nb": ("Legemidler: legemiddelliste, resepter og e-resept, legemidler som skal "
               "følge pasienten ved utskrivning.",
               "Pasienten kom hjem uten legemiddelliste; hjemmesykepleien visste ikke at "
               "blodfortynnende var seponert på sykehuset."),
        "en": ("Medicines: the medicine list, prescriptions and e-prescriptions, medicines "
               "that should go with the patient at discharge.",
               "The patient came home without a medicine list; the home nursing service "
               "did not know the blood thinner had been stopped in hospital."),
    },
    "hjelpemidler": {
        "nb": ("Hjelpemidler og utstyr som mangler eller ikke er bestilt: seng, rullator, "
               "oksygen, sårutstyr og annet forbruksmateriell.",
               "Pasient med behov for oksygen ble skrevet ut uten at oksygenkonsentrator "
               "var bestilt til hjemmet."),
        "en": ("Aids and equipment missing or not ordered: bed, walker, oxygen, wound care "
               "and other supplies.",
               "A patient who needs oxygen was discharged without an oxygen concentrator "
               "ordered for the home."),
    },
    "transport": {
        "nb": ("Transport og tidspunkt: pasient sendt sent på kvelden, uten følge eller "
               "uten at mottakeren var varslet.",
               "Pasient med demens kom til korttidsavdelingen kl. 23.30 i drosje, uten "
               "følge og uten at avdelingen var varslet."),
        "en": ("Transport and time: a patient sent late in the evening, unaccompanied or "
               "without the receiver being told.",
               "A patient with dementia arrived at the short-stay unit at 11.30 pm by taxi, "
               "unaccompanied and unannounced."),
    },
    "tilgjengelighet": {
        "nb": ("Tilgjengelighet: fikk ikke tak i ansvarlig lege, avdeling eller kommunal "
               "tjeneste, eller svaret kom for sent.",
               "Legevakten prøvde i to timer å nå vakthavende lege på sykehuset om en "
               "pasient som var skrevet ut samme dag."),
        "en": ("Availability: could not reach the responsible doctor, ward or municipal "
               "service, or the answer came too late.",
               "The out-of-hours service tried for two hours to reach the hospital's doctor "
               "on call about a patient discharged that day."),
    },
    "informasjon": {
        "nb": ("Informasjon som mangler eller er feil, og som ikke hører hjemme i en av "
               "kategoriene over.",
               "Epikrisen sa at pasienten bodde alene hjemme, men hun bor på sykehjem; "
               "oppfølgingen ble planlagt feil."),
        "en": ("Information missing or wrong that fits none of the categories above.",
               "The discharge summary said the patient lived alone at home, but she lives "
               "in a nursing home; the follow-up was planned wrongly."),
    },
    "avtalebrudd": {
        "nb": ("Brudd på samarbeidsavtalen eller tjenesteavtalene, ofte på systemnivå: en "
               "frist eller rutine som gjentatte ganger ikke følges. Oppgi avtalepunktet.",
               "Sykehuset har i flere uker varslet utskrivningsklare pasienter senere enn "
               "fristen i tjenesteavtale 3 §4.2."),
        "en": ("Breach of the collaboration agreement or its service agreements, often at "
               "system level: a deadline or routine repeatedly not kept. Name the clause.",
               "For several weeks the hospital has announced patients ready for discharge "
               "later than the deadline in service agreement 3 §4.2."),
    },
    "annet": {
        "nb": ("Annet som gjelder samhandlingen mellom virksomhetene og ikke passer i noen "
               "kategori.",
               "Pasientens høreapparat og briller ble ikke sendt med fra sykehuset til "
               "sykehjemmet."),
        "en": ("Anything else about the collaboration between the organisations that fits "
               "no category.",
               "The patient's hearing aid and glasses were not sent with her from the "
               "hospital to the nursing home."),
    },
}

SEVERITIES: dict[str, dict[str, tuple[str, str]]] = {
    "ingen_skade": {
        "nb": ("Hendelsen skadet ikke pasienten. Også nesten-hendelser og avvik på "
               "systemnivå.",
               "Epikrisen kom to dager for sent, men fastlegen fikk opplysningene på "
               "telefon og pasienten merket ingen følger."),
        "en": ("The event did not harm the patient. Near misses and system-level "
               "deviations too.",
               "The discharge summary came two days late, but the GP got the information "
               "by phone and the patient noticed no consequences."),
    },
    "mindre_skade": {
        "nb": ("Forbigående, mindre skade eller ubehag som ikke trengte ny behandling.",
               "Pasienten fikk ikke smertestillende første kvelden hjemme fordi resepten "
               "manglet, og hadde unødige smerter til neste morgen."),
        "en": ("Passing, minor harm or discomfort that needed no new treatment.",
               "The patient had no painkillers the first evening at home because the "
               "prescription was missing, and was in needless pain until the morning."),
    },
    "moderat_skade": {
        "nb": ("Skade som trengte ny behandling eller forlenget opphold, men uten varige "
               "følger. Mottakeren skal svare skriftlig innen fristen.",
               "Beskjeden om ny insulindose kom ikke fram; pasienten fikk føling og ble "
               "lagt inn igjen dagen etter utskrivning."),
        "en": ("Harm that needed new treatment or a longer stay, but without lasting "
               "effects. The receiver must answer in writing within the deadline.",
               "The new insulin dose was not passed on; the patient had a hypoglycaemia "
               "and was readmitted the day after discharge."),
    },
    "betydelig_skade": {
        "nb": ("Betydelig eller mulig varig skade, eller fare for livet. Kandidat for "
               "varsel til Statens helsetilsyn og for hendelsesanalyse.",
               "Blodfortynnende ble ikke startet igjen etter utskrivning fordi det manglet "
               "i legemiddellisten; pasienten fikk hjerneslag ti dager senere."),
        "en": ("Significant or possibly lasting harm, or danger to life. A candidate for "
               "notice to the Norwegian Board of Health Supervision and for an incident "
               "analysis.",
               "The blood thinner was not restarted after discharge because it was missing "
               "from the medicine list; the patient had a stroke ten days later."),
    },
    "dod": {
        "nb": ("Pasienten døde, og hendelsen kan ha bidratt. Kandidat for varsel til "
               "Statens helsetilsyn og for hendelsesanalyse.",
               "Pasient som ble sendt hjem uten avtale om oppfølging av en sårinfeksjon, "
               "døde av blodforgiftning hjemme fire dager senere."),
        "en": ("The patient died, and the event may have contributed. A candidate for "
               "notice to the Norwegian Board of Health Supervision and for an incident "
               "analysis.",
               "A patient sent home without follow-up arranged for a wound infection died "
               "of sepsis at home four days later."),
    },
}


def _lang(lang: str) -> str:
    return lang if lang == "en" else "nb"


def category(code: str, lang: str) -> Entry:
    """A category with its name, explanation and example; a configured category Flyt
    has no words for is shown by its code, without explanation."""
    explanation, example = CATEGORIES.get(code, {}).get(_lang(lang), ("", ""))
    return Entry(code, annual.label("category", code, lang), explanation, example)


def severity(code: str, lang: str) -> Entry:
    explanation, example = SEVERITIES[code][_lang(lang)]
    return Entry(code, annual.label("severity", code, lang), explanation, example)


def categories(configured: tuple[str, ...], lang: str) -> list[Entry]:
    """The configured categories, in their order."""
    return [category(code, lang) for code in configured]


def severities(lang: str) -> list[Entry]:
    """Every severity, mildest first."""
    return [severity(code, lang) for code in codes.SEVERITIES]
