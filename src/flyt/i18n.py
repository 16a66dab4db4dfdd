"""User-facing words in Norwegian bokmål (default) and English, and number/date formats.

Norwegian: decimal comma, a non-breaking space between thousands, dates dd.mm.yyyy (Babel;
see "number and date formats" below).
"""

from __future__ import annotations

import logging
import os
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

LANGS = ("nb", "en")
# Marks for a figure not shown (Statistics Norway's table symbols: ":" is "not shown for
# confidentiality"), explained by the "marks_legend" text wherever they appear.
HIDDEN_MARK = ":"
NO_VALUE_MARK = "–"
# Set in the tests (tests/conftest.py): a missing text raises instead of being logged.
STRICT_ENV = "FLYT_STRICT_I18N"
_log = logging.getLogger(__name__)
_reported: set[tuple[str, str]] = set()

_TEXT: dict[str, dict[str, str]] = {
    "green": {"nb": "grønn – ingen avvik", "en": "green – on track"},
    "yellow": {"nb": "gul – mindre avvik, men håndteres", "en": "yellow – minor deviation"},
    "red": {"nb": "rød – kritiske avvik", "en": "red – critical deviation"},
    "none": {"nb": "ingen verdi", "en": "no value"},
    "kpi": {"nb": "Indikator", "en": "Indicator"},
    "sector": {"nb": "Sektor", "en": "Sector"},
    "group": {"nb": "Gruppe", "en": "Group"},
    "target": {"nb": "Mål", "en": "Target"},
    "value_12m": {"nb": "Siste 12 mnd", "en": "Last 12 months"},
    "achievement": {"nb": "Måloppnåelse", "en": "Achievement"},
    "expected": {"nb": "Forventet", "en": "Expected"},
    "status": {"nb": "Status", "en": "Status"},
    "month": {"nb": "Måned", "en": "Month"},
    "community": {"nb": "Hele helsefellesskapet", "en": "Whole community"},
    "somatikk": {"nb": "somatikk", "en": "somatic care"},
    "psykisk_helsevern": {"nb": "psykisk helsevern", "en": "mental health care"},
    "alle": {"nb": "alle", "en": "all"},
    "preliminary": {"nb": "foreløpig", "en": "preliminary"},
    # --- ingest checks (flyt.ingest) ---
    "ingest_text_too_long": {"nb": "{column} har {length} tegn; høyst {limit} er tillatt",
                             "en": "{column} has {length} characters; at most {limit} are "
                                   "allowed"},
    "ingest_bad_rows": {"nb": "{rows} rad(er) med feil: ingenting er importert",
                        "en": "{rows} bad row(s): nothing was imported"},
    "ingest_file_too_big": {"nb": "Filen er på {mb} MB; høyst {limit} MB leses",
                            "en": "the file has {mb} MB; at most {limit} MB are read"},
    "ingest_upload_too_big": {"nb": "Opplastingen er større enn {limit} MB; ingenting er "
                                    "importert",
                              "en": "the upload is larger than {limit} MB; nothing was "
                                    "imported"},
    "ingest_too_many_rows": {"nb": "Filen har mer enn {limit} rader",
                             "en": "the file has more than {limit} rows"},
    "ingest_too_many_columns": {"nb": "Overskriftsraden har {columns} kolonner; høyst {limit} "
                                      "leses",
                                "en": "the header has {columns} columns; at most {limit} are "
                                      "read"},
    "ingest_record_too_long": {"nb": "Rad {row} er lengre enn {limit} KB",
                               "en": "row {row} is longer than {limit} KB"},
    "ingest_cell_too_long": {"nb": "Cellen har {length} tegn; høyst {limit} leses",
                             "en": "the cell has {length} characters; at most {limit} are read"},
    "ingest_xlsx_unreadable": {"nb": "Dette er ikke en lesbar XLSX-fil ({why})",
                               "en": "this is not a readable XLSX file ({why})"},
    "ingest_xlsx_inflated": {"nb": "XLSX-filen blir {mb} MB utpakket; høyst {limit} MB leses",
                             "en": "the XLSX file inflates to {mb} MB; at most {limit} MB "
                                   "are read"},
    "ingest_xlsx_ratio": {"nb": "Delen {part} av XLSX-filen er pakket {ratio} ganger; høyst "
                                "{limit} ganger godtas (en «zip-bombe»?)",
                          "en": "the part {part} of the XLSX file is compressed {ratio} "
                                "times; at most {limit} times is accepted (a zip bomb?)"},
    "ingest_xlsx_declares": {"nb": "Arket «{sheet}» sier at det når til celle {cell} ({rows} "
                                   "rader, {columns} kolonner); høyst {max_rows} rader, "
                                   "{max_columns} kolonner og {max_cells} celler leses fra et "
                                   "XLSX-ark (lagre større uttrekk som CSV)",
                             "en": "the sheet '{sheet}' declares that it reaches cell {cell} "
                                   "({rows} rows, {columns} columns); at most {max_rows} rows, "
                                   "{max_columns} columns and {max_cells} cells are read from an "
                                   "XLSX sheet (save bigger extracts as CSV)"},
    "ingest_xlsx_reaches": {"nb": "Arket «{sheet}» når til celle {cell} ({rows} rader, "
                                  "{columns} kolonner); høyst {max_rows} rader, {max_columns} "
                                  "kolonner og {max_cells} celler leses fra et XLSX-ark (lagre "
                                  "større uttrekk som CSV)",
                            "en": "the sheet '{sheet}' reaches cell {cell} ({rows} rows, "
                                  "{columns} columns); at most {max_rows} rows, {max_columns} "
                                  "columns and {max_cells} cells are read from an XLSX sheet "
                                  "(save bigger extracts as CSV)"},
    "ingest_xlsx_cells": {"nb": "Arket «{sheet}» har {cells} celler eller flere; høyst {max_cells} "
                                "leses fra et XLSX-ark (lagre større uttrekk som CSV)",
                          "en": "the sheet '{sheet}' has {cells} cells or more; at most "
                                "{max_cells} are read from an XLSX sheet (save bigger extracts "
                                "as CSV)"},
    "ingest_unknown_kind": {"nb": "Ukjent type «{kind}»; velg {kinds}",
                            "en": "unknown kind '{kind}'; choose {kinds}"},
    "ingest_not_csv_or_xlsx": {"nb": "Send en .csv- eller .xlsx-fil",
                               "en": "send a .csv or .xlsx file"},
    "ingest_errors_shown": {"nb": "{total} feil i {rows} rader; de første {shown} vises her. "
                                  "Kommandolinjen (flyt import) lister flere.",
                            "en": "{total} errors in {rows} rows; the first {shown} are shown "
                                  "here. The command line (flyt import) lists more."},
    "ingest_national_id": {"nb": "{column} ser ut som et fødselsnummer (eller D- eller "
                                 "H-nummer); det lagres ikke og vises ikke",
                           "en": "{column} looks like a national identity number "
                                 "(fødselsnummer, D- or H-number); it is not stored or shown"},
    "ingest_national_id_patient": {"nb": "{column} ser ut som et fødselsnummer; det lagres ikke "
                                         "og vises ikke. Fødselsnummer hører hjemme i en kolonne "
                                         "som heter fnr, som pseudonymiseres",
                                   "en": "{column} looks like a fødselsnummer (a national "
                                         "identity number); it is not stored or shown. National "
                                         "ids belong in a column named fnr, which is "
                                         "pseudonymised"},
    "ingest_source_national_id": {"nb": "Kildenavnet ser ut som et fødselsnummer; velg et annet",
                                  "en": "the source name looks like a national identity number; "
                                        "choose another"},
    "ingest_exists_elsewhere": {"nb": "{count} av {total} {what} finnes allerede under kilden "
                                      "«{source}»{more} ({same}); ingenting er importert",
                                "en": "{count} of {total} {what} already exist under source "
                                      "'{source}'{more} ({same}); nothing was imported"},
    "ingest_more_sources": {"nb": " og {sources} andre kilder",
                            "en": " and {sources} other sources"},
    "ingest_exists_elsewhere_cli": {"nb": "Importer med --source {source} for å oppdatere dem, "
                                          "eller med --new-records hvis dette er andre {what}.",
                                    "en": "Import with --source {source} to update them, or "
                                          "--new-records if these are other {what}."},
    "ingest_exists_elsewhere_web": {"nb": "Last opp med kilde «{source}» for å oppdatere dem, "
                                          "eller kryss av for «Nye registreringer» hvis dette er "
                                          "andre {what}.",
                                    "en": "Upload with source '{source}' to update them, or tick "
                                          "'New records' if these are other {what}."},
    "ingest_new_records": {"nb": "Nye registreringer (finnes ikke under en annen kilde)",
                           "en": "New records (not the ones under another source)"},
    "ingest_records_stays": {"nb": "opphold", "en": "stays"},
    "ingest_records_ukp-periods": {"nb": "UKP-perioder", "en": "UKP periods"},
    "ingest_records_short-stays": {"nb": "korttidsopphold", "en": "short-term stays"},
    "ingest_records_beds": {"nb": "sengetellinger", "en": "bed counts"},
    "ingest_same_stays": {"nb": "samme pasient, innleggelsestid og kommune",
                          "en": "same patient, admission time and municipality"},
    "ingest_same_ukp-periods": {"nb": "samme opphold og start", "en": "same stay and start"},
    "ingest_same_short-stays": {"nb": "samme pasient, enhet og start",
                                "en": "same patient, unit and start"},
    "ingest_same_beds": {"nb": "samme enhet og tidspunkt", "en": "same unit and time"},
    "ingest_configuration": {"nb": "Konfigurasjonen er feil: {why}",
                             "en": "the configuration is wrong: {why}"},
    "ingest_source_name": {"nb": "Kildenavnet må ha 1–{max} tegn: bokstaver, sifre, «.», «_» "
                                 "og «-» (ikke «{name}»)",
                           "en": "the source name must have 1–{max} characters: letters, "
                                 "digits, '.', '_' and '-' (not '{name}')"},
    # --- end ingest checks ---
    # --- web (flyt.web) ---
    # pages
    "show": {"nb": "Vis", "en": "Show"},
    "trend_13": {"nb": "Utvikling siste 13 måneder", "en": "Trend over the last 13 months"},
    "my_municipality": {"nb": "Min kommune", "en": "My municipality"},
    "snapshot": {"nb": "Øyeblikksbilde", "en": "Snapshot"},
    "data": {"nb": "Data", "en": "Data"},
    "reports": {"nb": "Rapporter", "en": "Reports"},
    "compare_with": {"nb": "Sammenlign med kommuner", "en": "Compare with municipalities"},
    "trend_pages_note": {"nb": "Linjer: hele helsefellesskapet, hver region og valgte kommuner. "
                               "Tabellen under grafene har de samme tallene.",
                         "en": "Lines: the whole community, each region and the chosen "
                               "municipalities. The table below the charts has the same "
                               "numbers."},
    "per_year": {"nb": "per år (linjen: en tolvdel per måned)",
                 "en": "a year (the line: a twelfth a month)"},
    "chart_as_table": {"nb": "Grafene som tabell (måneden / siste 12 mnd)",
                       "en": "The charts as a table (the month / last 12 months)"},
    "municipality_page": {"nb": "Kommuneside", "en": "Municipality page"},
    "patients_title": {"nb": "Egne utskrivningsklare pasienter nå",
                       "en": "Own patients ready for discharge now"},
    "patients_note": {"nb": "Pseudonyme pasient-id-er. Utskrivningsklare i sykehus per",
                      "en": "Pseudonymous patient ids. Ready for discharge in hospital at"},
    "patient_id": {"nb": "Pasient (pseudonym)", "en": "Patient (pseudonym)"},
    "days_waited": {"nb": "Døgn ventet", "en": "Days waited"},
    "ready_since": {"nb": "Utskrivningsklar fra", "en": "Ready since"},
    "location": {"nb": "Ligger på", "en": "Location"},
    "department": {"nb": "Avdeling", "en": "Department"},
    "rate_trend_note": {"nb": "UKP-døgn siste 12 mnd per 1 000 innbyggere, kommunen mot hele "
                              "helsefellesskapet (avledet tall, ikke en indikator).",
                        "en": "UKP days in the last 12 months per 1,000 inhabitants, the "
                              "municipality against the whole community (derived, not a KPI)."},
    "kpis_compared": {"nb": "Indikatorene sammenlignet", "en": "The indicators compared"},
    "all_sectors_short": {"nb": "Somatikk og psykisk helsevern samlet.",
                          "en": "Somatic and mental health care together."},
    "prelim_star": {"nb": "*: foreløpig.", "en": "*: preliminary."},
    "moment": {"nb": "Tidspunkt", "en": "Moment"},
    "since_short": {"nb": "siden", "en": "since"},
    "history": {"nb": "Tidligere øyeblikksbilder", "en": "Earlier snapshots"},
    "upload": {"nb": "Last opp en fil", "en": "Upload a file"},
    "upload_button": {"nb": "Last opp og importer", "en": "Upload and import"},
    "upload_ok": {"nb": "Importert", "en": "Imported"},
    "upload_rejected": {"nb": "Avvist", "en": "Rejected"},
    "nothing_imported": {"nb": "Ingenting er importert: rett feilene og last opp hele filen "
                               "på nytt.",
                         "en": "Nothing was imported: correct the errors and upload the whole "
                               "file again."},
    "file": {"nb": "Fil", "en": "File"},
    "rows_read": {"nb": "Rader lest", "en": "Rows read"},
    "rows_new": {"nb": "nye", "en": "new"},
    "rows_updated": {"nb": "endret", "en": "updated"},
    "rows_unchanged": {"nb": "uendret", "en": "unchanged"},
    "rows_rejected": {"nb": "Rader avvist", "en": "Rows rejected"},
    "row_errors": {"nb": "Feil per rad", "en": "Errors by row"},
    "row": {"nb": "Rad", "en": "Row"},
    "column": {"nb": "Kolonne", "en": "Column"},
    "value": {"nb": "Verdi", "en": "Value"},
    "reason": {"nb": "Årsak", "en": "Reason"},
    "last_attempt": {"nb": "Siste forsøk", "en": "Last attempt"},
    "newest_record": {"nb": "Nyeste tidspunkt i dataene", "en": "Newest time in the data"},
    "import_history": {"nb": "Importhistorikk", "en": "Import history"},
    "import_ok": {"nb": "importert", "en": "imported"},
    "import_rejected": {"nb": "avvist", "en": "rejected"},
    "edition_shared_note": {"nb": "Felles utgave: tall for færre enn fem personer er skjult.",
                            "en": "Shared edition: figures for fewer than five people are "
                                  "hidden."},
    "edition_own_note": {"nb": "Kommunens utgave: egne tall eksakte, andre som i felles utgave.",
                         "en": "The municipality's edition: own figures exact, others as "
                               "shared."},
    "report_monthly": {"nb": "Månedsrapport", "en": "Monthly report"},
    "report_snapshot": {"nb": "Øyeblikksbilde", "en": "Snapshot"},
    "report_payment": {"nb": "Betalingsgrunnlag", "en": "Payment basis"},
    "now": {"nb": "nå", "en": "now"},
    # auth
    "sign_in": {"nb": "Logg inn", "en": "Sign in"},
    "sign_out": {"nb": "Logg ut", "en": "Sign out"},
    "sign_in_with": {"nb": "Logg inn med", "en": "Sign in with"},
    "user_name": {"nb": "Brukernavn", "en": "User name"},
    "password": {"nb": "Passord", "en": "Password"},
    "sign_in_failed": {"nb": "Feil brukernavn eller passord.",
                       "en": "Wrong user name or password."},
    "sign_in_oidc_failed": {"nb": "Innloggingen mislyktes. Prøv igjen.",
                            "en": "Sign-in failed. Please try again."},
    "sign_in_oidc_unknown": {"nb": "Du har ingen bruker i Flyt. Kontakt administrator.",
                             "en": "You have no Flyt user. Contact the administrator."},
    "audit_log": {"nb": "Revisjonslogg", "en": "Audit log"},
    "audit_newest": {"nb": "Nyeste hendelser", "en": "Newest entries"},
    "audit_action": {"nb": "Handling", "en": "Action"},
    "audit_target": {"nb": "Gjelder", "en": "Target"},
    "audit_detail": {"nb": "Detaljer", "en": "Details"},
    "time": {"nb": "Tidspunkt", "en": "Time"},
    "from_date": {"nb": "Fra dato", "en": "From"},
    "to_date": {"nb": "Til dato", "en": "To"},
    "filter": {"nb": "Filtrer", "en": "Filter"},
    "export_csv": {"nb": "Eksporter CSV", "en": "Export CSV"},
    "users_title": {"nb": "Brukere", "en": "Users"},
    "role": {"nb": "Rolle", "en": "Role"},
    "role_admin": {"nb": "Administrator", "en": "Administrator"},
    "role_analyst": {"nb": "Analytiker (sykehuset)", "en": "Analyst (hospital)"},
    "role_municipality": {"nb": "Kommunebruker", "en": "Municipality user"},
    "role_reader": {"nb": "Leser (felles tall)", "en": "Reader (shared figures)"},
    "sign_in_methods": {"nb": "Innlogging", "en": "Sign-in"},
    "created": {"nb": "Opprettet", "en": "Created"},
    "actions": {"nb": "Handlinger", "en": "Actions"},
    "user_active": {"nb": "aktiv", "en": "active"},
    "user_disabled": {"nb": "sperret", "en": "disabled"},
    "user_disable": {"nb": "Sperr", "en": "Disable"},
    "user_enable": {"nb": "Gjenåpne", "en": "Enable"},
    "user_done_enabled": {"nb": "Brukeren kan logge inn igjen.",
                          "en": "The user can sign in again."},
    "user_new_password": {"nb": "Nytt passord", "en": "New password"},
    "save": {"nb": "Lagre", "en": "Save"},
    "user_add": {"nb": "Ny bruker", "en": "New user"},
    "user_add_button": {"nb": "Legg til", "en": "Add"},
    "municipality_if": {"nb": "Kommune (bare kommunebrukere)",
                        "en": "Municipality (municipality users only)"},
    "users_note": {"nb": "Alle endringer føres i revisjonsloggen. En sperret bruker logges "
                         "ut innen to sekunder. Kobling til OpenID Connect: flyt user link.",
                   "en": "Every change is written to the audit log. A disabled user is signed "
                         "out within two seconds. Linking to OpenID Connect: flyt user link."},
    "user_done_added": {"nb": "Brukeren er lagt til.", "en": "The user was added."},
    "user_done_password": {"nb": "Passordet er endret.", "en": "The password was changed."},
    "user_done_disabled": {"nb": "Brukeren er sperret.", "en": "The user was disabled."},
    "user_error_role": {"nb": "Ukjent rolle.", "en": "Unknown role."},
    "user_error_municipality_missing": {"nb": "En kommunebruker må ha en kommune.",
                                        "en": "A municipality user needs a municipality."},
    "user_error_municipality_extra": {"nb": "Bare kommunebrukere har en kommune.",
                                      "en": "Only municipality users have a municipality."},
    "user_error_municipality_unknown": {"nb": "Ukjent kommune.", "en": "Unknown municipality."},
    "user_error_exists": {"nb": "Det finnes allerede en bruker med det navnet.",
                          "en": "A user with that name exists already."},
    "user_error_subject": {"nb": "OpenID Connect-identiteten tilhører en annen bruker.",
                           "en": "That OpenID Connect subject belongs to another user."},
    "user_error_no_user": {"nb": "Brukeren finnes ikke.", "en": "No such user."},
    "user_error_self": {"nb": "Du kan ikke sperre deg selv; be en annen administrator.",
                        "en": "You cannot disable yourself; ask another administrator."},
    "user_error_password_short": {"nb": "Passordet må ha minst {min} tegn.",
                                  "en": "The password must have at least {min} characters."},
    "skip_to_content": {"nb": "Hopp til innholdet", "en": "Skip to content"},
    "main_menu": {"nb": "Hovedmeny", "en": "Main menu"},
    # --- web security (flyt.web.auth) ---
    "sign_in_blocked": {"nb": "For mange mislykkede innlogginger fra denne adressen. Vent 15 "
                              "minutter og prøv igjen.",
                        "en": "Too many failed sign-ins from this address. Wait 15 minutes and "
                              "try again."},
    "user_error_name_invalid": {
        "nb": "Brukernavnet må ha 1–100 tegn: bokstaver (a–å), sifre og . _ - @, og begynne "
              "med en bokstav eller et siffer.",
        "en": "A user name has 1–100 characters: letters (a–z, æ, ø, å), digits and . _ - @, "
              "starting with a letter or digit."},
    "user_error_password_blank": {"nb": "Passordet kan ikke være tomt eller bare mellomrom.",
                                  "en": "The password must not be blank or only spaces."},
    "user_error_password_long": {"nb": "Passordet kan ha høyst {max} tegn.",
                                 "en": "The password must have at most {max} characters."},
    "user_error_password_name": {"nb": "Passordet kan ikke inneholde brukernavnet.",
                                 "en": "The password must not contain the user name."},
    "user_error_password_repeated": {
        "nb": "Passordet kan ikke være ett tegn eller mønster gjentatt.",
        "en": "The password must not be one character or pattern repeated."},
    "user_error_password_run": {
        "nb": "Passordet kan ikke være en rekke tegn etter hverandre, som 123456789012.",
        "en": "The password must not be a run of consecutive characters such as "
              "123456789012."},
    "user_error_password_common": {
        "nb": "Passordet er blant de første som prøves ved gjetting. Velg et annet.",
        "en": "That password is among the first that guessing tries. Choose another."},
    "field_too_long": {"nb": "Feltet «{field}» kan ha høyst {max} tegn.",
                       "en": "The field “{field}” may have at most {max} characters."},
    "field_next": {"nb": "Neste side", "en": "Next page"},
    "server_error": {
        "nb": "Beklager, noe gikk galt på serveren. Prøv igjen om litt; hvis det skjer igjen, "
              "si fra til administrator og nevn tidspunktet.",
        "en": "Sorry, something went wrong on the server. Try again in a moment; if it "
              "happens again, tell the administrator and mention the time."},
    # --- end web security ---
    # --- reports (flyt.reports.monthly, .snapshot) ---
    "hidden": {"nb": "skjult", "en": "hidden"},
    "green_short": {"nb": "grønn", "en": "green"},
    "yellow_short": {"nb": "gul", "en": "yellow"},
    "red_short": {"nb": "rød", "en": "red"},
    "snapshot_title": {"nb": "Øyeblikksbilde UKP {at}", "en": "UKP snapshot {at}"},
    "snapshot_file": {"nb": "oyeblikksbilde", "en": "snapshot"},
    "own_line_edition": {"nb": "Utgave for {code}: egen linje eksakt, andre som i felles utgave",
                         "en": "Edition for {code}: own line exact, others as shared"},
    "per_municipality": {"nb": "Per kommune", "en": "Per municipality"},
    "patients": {"nb": "UKP nå", "en": "UKP now"},
    "total_ukp": {"nb": "UKP i sykehus nå", "en": "UKP in hospital now"},
    "at_hospital": {"nb": "På sykehuset", "en": "At the hospital"},
    "utlokalisert": {"nb": "Utlokalisert", "en": "Placed elsewhere"},
    "change": {"nb": "Endring", "en": "Change"},
    "since": {"nb": "siden {before}", "en": "since {before}"},
    "longest_wait": {"nb": "Lengste ventetid (døgn)", "en": "Longest wait (days)"},
    "aftercare": {"nb": "Etterbehandlingssenger", "en": "After-care beds"},
    "unit": {"nb": "Enhet", "en": "Unit"},
    "counted_at": {"nb": "Telling", "en": "Counted"},
    "occupied": {"nb": "Belagt", "en": "Occupied"},
    "available": {"nb": "Tilgjengelig", "en": "Available"},
    "occupancy": {"nb": "Belegg", "en": "Occupancy"},
    "over_capacity": {"nb": "overbelegg", "en": "over capacity"},
    "snapshot_note": {"nb": "Ventetid: dager fra starten av nåværende UKP-periode. Ingen navn "
                            "eller id-er.",
                      "en": "Wait: days since the start of the current UKP period. No names "
                            "or ids."},
    "kpi2_short": {"nb": "Andel 0 døgn", "en": "Share 0 days"},
    "kpi3_short": {"nb": "Snitt UKP-døgn", "en": "Mean UKP days"},
    "kpi4_short": {"nb": "Andel rett hjem", "en": "Share home"},
    "kpi5_short": {"nb": "Reinnl. < 30 d", "en": "Readm. < 30 d"},
    "ukp_days": {"nb": "UKP-døgn", "en": "UKP days"},
    "target_per_month": {"nb": "Mål somatikk: {year} døgn per år (≈ {month} per måned)",
                         "en": "Target somatic care: {year} days a year (≈ {month} a month)"},
    "monthly_title": {"nb": "UKP-rapport {month}", "en": "UKP report {month}"},
    "monthly_file": {"nb": "maanedsrapport", "en": "monthly-report"},
    "shared_edition": {"nb": "Felles utgave: tall for færre enn {threshold} personer er skjult",
                       "en": "Shared edition: figures for under {threshold} people are hidden"},
    "municipality_edition": {"nb": "Utgave for {name} ({code}): egne tall eksakte",
                             "en": "Edition for {name} ({code}): own figures exact"},
    "cutoff": {"nb": "Data per", "en": "Data as of"},
    "month_value": {"nb": "Måneden", "en": "The month"},
    "overview": {"nb": "Status for helsefellesskapet", "en": "Status of the community"},
    "reading_guide": {"nb": "Slik leses statusen", "en": "How to read the status"},
    "guide_green": {"nb": "Måloppnåelsen er minst som forventet på veien mot målet.",
                    "en": "Achievement is at least as expected on the road to the target."},
    "guide_yellow": {"nb": "Inntil 25 prosentpoeng under forventet.",
                     "en": "Up to 25 percentage points below expected."},
    "guide_red": {"nb": "Mer enn 25 prosentpoeng under forventet.",
                  "en": "More than 25 percentage points below expected."},
    "guide_road": {"nb": "Forventet måloppnåelse øker fra 0 % i desember 2023 til 50 % etter "
                         "ett år og 100 % etter to år. Siste 12 mnd er grunnlaget for "
                         "måloppnåelsen.",
                   "en": "Expected achievement rises from 0 % in December 2023 to 50 % after "
                         "one year and 100 % after two. The last 12 months are the basis of "
                         "achievement."},
    "prelim_note": {"nb": "Kursiv: foreløpig (reinnleggelser kan komme til inntil 30 dager "
                          "etter månedens slutt).",
                    "en": "Italics: preliminary (readmissions can still come up to 30 days "
                          "after the month)."},
    "trends": {"nb": "Utvikling", "en": "Trends"},
    "trend_note": {"nb": "Fra {first}. Åpne punkter: foreløpige tall.",
                   "en": "From {first}. Hollow points: preliminary figures."},
    "region": {"nb": "Region", "en": "Region"},
    "municipality": {"nb": "Kommune", "en": "Municipality"},
    "population": {"nb": "Innbyggere", "en": "Inhabitants"},
    "per_1000": {"nb": "per 1 000 innb.", "en": "per 1,000 inhabitants"},
    "own_trend": {"nb": "Egen trend (UKP-døgn, 24 mnd)", "en": "Own trend (UKP days, 24 months)"},
    "all_sectors_note": {"nb": "Somatikk og psykisk helsevern samlet. Kolonnene for "
                               "indikator 2–5 gjelder siste 12 mnd.",
                         "en": "Somatic and mental health care together. The columns for "
                               "indicators 2–5 are the last 12 months."},
    "completeness": {"nb": "Datagrunnlag", "en": "Data completeness"},
    "source": {"nb": "Kilde", "en": "Source"},
    "data_kind": {"nb": "Type", "en": "Kind"},
    "last_import": {"nb": "Siste import", "en": "Last import"},
    "rows": {"nb": "Rader", "en": "Rows"},
    "plo_last": {"nb": "Siste PLO-melding lest", "en": "Last PLO message read"},
    "no_imports": {"nb": "Ingen importer før skjæringstidspunktet.",
                   "en": "No imports before the cut-off."},
    # --- exports, PLO, payment (trust) ---
    # the payment basis of a year without a known day rate (flyt.payment.render)
    "payment_provisional": {
        "nb": "Foreløpig sats: {rate_year}-satsen ({rate} kr) brukes til satsen for {year} er "
              "satt i konfigurasjonen ([payment.rates] {year} = …).",
        "en": "Provisional rate: the {rate_year} rate (NOK {rate}) is used until the {year} rate "
              "is set in the configuration ([payment.rates] {year} = …)."},
    "payment_rate_of_year": {"nb": "{rate_year}-satsen, {source}",
                             "en": "the {rate_year} rate, {source}"},
    "payment_footer_provisional": {"nb": "foreløpig sats ({rate_year}-satsen)",
                                   "en": "provisional rate (the {rate_year} rate)"},
    "payment_rate_year": {"nb": "Satsår", "en": "Rate year"},
    "payment_rate_provisional": {"nb": "Foreløpig sats", "en": "Provisional rate"},
    "payment_yes": {"nb": "ja", "en": "yes"},
    "payment_no": {"nb": "nei", "en": "no"},
    # why there is no basis (the web; the command line says it in English)
    "payment_error_no_rate": {
        "nb": "Ingen døgnpris for {year} (satser finnes for {known}): sett den i "
              "konfigurasjonen under [payment.rates] som {year} = <kroner per døgn>.",
        "en": "No day rate for {year} (rates known for {known}): set it in the configuration "
              "under [payment.rates] as {year} = <NOK per day>."},
    "payment_error_after_cutoff": {
        "nb": "{month:%m.%Y} begynner etter skjæringstidspunktet {cutoff:%d.%m.%Y %H:%M}: "
              "måneden har ingen UKP-døgn ennå.",
        "en": "{month:%Y-%m} begins after the cut-off {cutoff:%Y-%m-%d %H:%M}: it has no UKP "
              "days yet."},
    "payment_error_before_data": {
        "nb": "Ingen resultater for {month:%m.%Y} per {cutoff:%d.%m.%Y %H:%M}: måneden ligger "
              "før de første dataene.",
        "en": "No results for {month:%Y-%m} at cut-off {cutoff:%Y-%m-%d %H:%M}: the month is "
              "before the first data."},
    "payment_error_not_computed": {
        "nb": "Ingen lagrede UKP-døgn for kommune {code}: kjør flyt recompute --cutoff "
              "{cutoff:%Y-%m-%dT%H:%M}.",
        "en": "No stored UKP days for municipality {code}: run flyt recompute --cutoff "
              "{cutoff:%Y-%m-%dT%H:%M}."},
    # --- end exports, PLO, payment ---
    # --- payment basis (flyt.payment) ---
    "payment_title": {"nb": "Betalingsgrunnlag for utskrivningsklare pasienter, {month}",
                      "en": "Payment basis for patients ready for discharge, {month}"},
    "payment_intro": {"nb": "Kommunene betaler sykehuset en fast døgnpris for hvert døgn en "
                            "utskrivningsklar pasient venter i sykehus. UKP-døgnene er indikator "
                            "1 (antall UKP-døgn) for måneden, somatikk og psykisk helsevern "
                            "samlet, fordelt på pasientens bostedskommune.",
                      "en": "The municipalities pay the hospital a fixed day rate for every day "
                            "a patient ready for discharge waits in hospital. The UKP days are "
                            "indicator 1 (UKP days) for the month, somatic and mental health "
                            "care together, by the patient's municipality of residence."},
    "payment_cutoff": {"nb": "Data per", "en": "Data as of"},
    "payment_rate_note": {"nb": "Døgnpris {year}: {rate} kr ({source}).",
                          "en": "Day rate {year}: NOK {rate} ({source})."},
    "payment_rate_default": {"nb": "Helsedirektoratets sats", "en": "Helsedirektoratet's rate"},
    "payment_rate_configured": {"nb": "satt i konfigurasjonen", "en": "set in the configuration"},
    "payment_incomplete": {"nb": "Måneden er ikke slutt ved skjæringstidspunktet: tallene er "
                                 "foreløpige og kan øke.",
                           "en": "The month is not over at the cut-off: the figures are "
                                 "preliminary and can still grow."},
    "payment_basis": {"nb": "Grunnlag", "en": "Basis"},
    "payment_month": {"nb": "Måned", "en": "Month"},
    "payment_code": {"nb": "Kommunenr.", "en": "Municipality no."},
    "payment_name": {"nb": "Kommune", "en": "Municipality"},
    "payment_ukp_days": {"nb": "UKP-døgn", "en": "UKP days"},
    "payment_rate": {"nb": "Døgnpris (kr)", "en": "Day rate (NOK)"},
    "payment_amount": {"nb": "Beløp (kr)", "en": "Amount (NOK)"},
    "payment_total": {"nb": "Sum", "en": "Total"},
    "payment_scenario": {"nb": "Scenario", "en": "Scenario"},
    "payment_scenario_title": {"nb": "Scenario: døgnpris som øker med ventetiden",
                               "en": "Scenario: a day rate that rises with the wait"},
    "payment_scenario_note": {
        "nb": "Et regneeksempel til diskusjon, ikke en vedtatt ordning. Hvert UKP-døgn får en "
              "faktor etter hvilket døgn i ventetiden det er: døgn 1 er oppholdets første "
              "UKP-døgn, og døgn i tidligere måneder teller med. Beløp = UKP-døgn × døgnpris × "
              "faktor, avrundet til hele øre per kommune. Bakgrunn: i somatikken ved St. Olavs "
              "hospital ligger 13 % av pasientene mer enn 8 døgn, men de står for over 50 % av "
              "liggedøgnene.",
        "en": "An example for discussion, not an agreed scheme. Each UKP day gets a factor by "
              "its place in the wait: day 1 is the stay's first UKP day, and days in earlier "
              "months count. Amount = UKP days × day rate × factor, rounded to whole øre per "
              "municipality. Background: in somatic care at St. Olavs hospital 13 % of the "
              "patients wait more than 8 days but account for over 50 % of the days."},
    "payment_days_step": {"nb": "Døgn {first}–{last} (× {factor})",
                          "en": "Days {first}–{last} (× {factor})"},
    "payment_days_from": {"nb": "Døgn {first} og senere (× {factor})",
                          "en": "Days {first} and later (× {factor})"},
    "payment_scenario_amount": {"nb": "Beløp i scenario (kr)", "en": "Scenario amount (NOK)"},
    "payment_difference": {"nb": "Differanse (kr)", "en": "Difference (NOK)"},
    "payment_about": {"nb": "Forklaring", "en": "Notes"},
    # --- pages for people (flyt.web.pages) ---
    "no_target": {"nb": "ingen mål satt", "en": "no target set"},
    "no_status": {"nb": "ingen status: mangler verdi", "en": "no status: no value"},
    "sector_alle": {"nb": "somatikk og psykisk helsevern samlet",
                    "en": "somatic and mental health care together"},
    "better_lower": {"nb": "Lavere er bedre.", "en": "Lower is better."},
    "better_higher": {"nb": "Høyere er bedre.", "en": "Higher is better."},
    "days_unit": {"nb": "døgn", "en": "days"},
    "compare_chosen": {"nb": "{n} valgt", "en": "{n} chosen"},
    "chart_as_table_one": {"nb": "Grafen som tabell", "en": "The chart as a table"},
    "scroll_hint": {"nb": "Sveip sideveis for flere kolonner →",
                    "en": "Swipe sideways for more columns →"},
    "total_ukp_then": {"nb": "UKP i sykehus", "en": "UKP in hospital"},
    "patients_none": {"nb": "Ingen av kommunens pasienter er utskrivningsklare i sykehus "
                            "per {at}.",
                      "en": "None of the municipality's patients is ready for discharge in "
                            "hospital at {at}."},
    "source_hint": {"nb": "Tom: standardkilden. Poster med samme kilde og id oppdateres.",
                    "en": "Empty: the default source. Records with the same source and id "
                          "are updated."},
    "format_pdf": {"nb": "PDF", "en": "PDF"},
    "format_xlsx": {"nb": "Excel", "en": "Excel"},
    "format_csv": {"nb": "CSV", "en": "CSV"},
    # import kinds (flyt import KIND, the upload's list)
    "kind_stays": {"nb": "Sykehusopphold", "en": "Hospital stays"},
    "kind_ukp-periods": {"nb": "UKP-perioder", "en": "UKP periods"},
    "kind_short-stays": {"nb": "Korttidsopphold", "en": "Short-term stays"},
    "kind_beds": {"nb": "Sengetellinger (etterbehandling)", "en": "Bed counts (after-care)"},
    # the source names Flyt itself gives (a user's own names are shown as written)
    "source_default": {"nb": "standard", "en": "default"},
    "source_plo": {"nb": "PLO-meldinger", "en": "PLO messages"},
    "source_demo": {"nb": "demodata", "en": "demo data"},
    # audit log actions (flyt.accounts.audit)
    "action_": {"nb": "alle handlinger", "en": "every action"},
    "action_patients.read": {"nb": "pasientliste vist", "en": "patient list shown"},
    "action_import.upload": {"nb": "fil lastet opp", "en": "file uploaded"},
    "action_sign_in": {"nb": "innlogging (alle)", "en": "sign-in (all)"},
    "action_sign_in.ok": {"nb": "logget inn", "en": "signed in"},
    "action_sign_in.failed": {"nb": "innlogging avvist", "en": "sign-in refused"},
    "action_sign_in.blocked": {"nb": "innlogging sperret (for mange forsøk)",
                               "en": "sign-in blocked (too many attempts)"},
    "action_sign_out": {"nb": "logget ut", "en": "signed out"},
    "action_user": {"nb": "brukerendring (alle)", "en": "user change (all)"},
    "action_user.add": {"nb": "bruker lagt til", "en": "user added"},
    "action_user.disable": {"nb": "bruker sperret", "en": "user disabled"},
    "action_user.enable": {"nb": "bruker gjenåpnet", "en": "user enabled"},
    "action_user.password": {"nb": "passord endret", "en": "password changed"},
    "action_user.role": {"nb": "rolle endret", "en": "role changed"},
    "action_user.oidc_subject": {"nb": "OpenID Connect-kobling endret",
                                 "en": "OpenID Connect link changed"},
    "action_audit.export": {"nb": "revisjonslogg eksportert", "en": "audit log exported"},
    # what the audit log's details say (flyt.web.pages.words.audit_detail)
    "detail_password": {"nb": "passord", "en": "password"},
    "detail_oidc": {"nb": "OpenID Connect", "en": "OpenID Connect"},
    "detail_linked": {"nb": "koblet", "en": "linked"},
    "detail_unlinked": {"nb": "koblet fra", "en": "unlinked"},
    "detail_disabled": {"nb": "brukeren er sperret", "en": "the user is disabled"},
    "detail_disabled user": {"nb": "brukeren er sperret", "en": "the user is disabled"},
    "detail_wrong name or password": {"nb": "feil brukernavn eller passord",
                                      "en": "wrong name or password"},
    "detail_rows": {"nb": "{n} rader", "en": "{n} rows"},
    "detail_command_line": {"nb": "(kommandolinjen)", "en": "(command line)"},
    "form_too_big": {"nb": "Skjemaet er for stort (over {limit} MB) og ble ikke lest.",
                     "en": "The form is too large (over {limit} MB) and was not read."},
    "form_rejected": {"nb": "Skjemaet ble avvist", "en": "The form was refused"},
    # --- end pages for people ---
    # --- distribution (flyt.distribution) ---
    "dist_kind_monthly": {"nb": "månedsrapport", "en": "monthly report"},
    "dist_kind_snapshot": {"nb": "øyeblikksbilde", "en": "snapshot"},
    "dist_mail_body": {
        "nb": "Rapporten ligger vedlagt som PDF. E-posten er sendt automatisk av Flyt.",
        "en": "The report is attached as a PDF. This e-mail was sent automatically by Flyt.",
    },
    "dist_attachment": {"nb": "Vedlegg: {name} ({type}, {size} byte)",
                        "en": "Attachment: {name} ({type}, {size} bytes)"},
    "dist_sent": {"nb": "Sendt: {kind} {period}, mottakere: {count} (forsøk {attempt}).",
                  "en": "Sent: {kind} {period}, recipients: {count} (attempt {attempt})."},
    "dist_failed": {"nb": "Ikke sendt: {kind} {period} (forsøk {attempt}): {error}",
                    "en": "Not sent: {kind} {period} (attempt {attempt}): {error}"},
    "dist_dry_run": {"nb": "Prøvekjøring, ingenting er sendt.",
                     "en": "Dry run, nothing was sent."},
    "dist_eml_written": {"nb": "E-posten er skrevet til {path}; ingenting er sendt.",
                         "en": "The e-mail was written to {path}; nothing was sent."},
    "dist_nothing_due": {"nb": "Ingenting å sende nå.", "en": "Nothing to send now."},
    "dist_schedule_started": {"nb": "Timeplanen kjører: {kinds}.",
                              "en": "The schedule is running: {kinds}."},
    "dist_next": {"nb": "Neste utsendelser", "en": "Next sends"},
    "dist_latest": {"nb": "Siste planlagte", "en": "Latest scheduled"},
    "dist_recent": {"nb": "Siste forsøk", "en": "Recent attempts"},
    "dist_not_scheduled": {"nb": "ikke planlagt (ingen mottakere)",
                           "en": "not scheduled (no recipients)"},
    "dist_state_sent": {"nb": "sendt", "en": "sent"},
    "dist_state_due": {"nb": "skal sendes", "en": "due"},
    "dist_state_given_up": {"nb": "gitt opp etter {n} forsøk", "en": "given up after {n} attempts"},
    "dist_status_sent": {"nb": "sendt", "en": "sent"},
    "dist_status_failed": {"nb": "feilet", "en": "failed"},
    "dist_no_sends": {"nb": "Ingen utsendelser er logget ennå.", "en": "No sends logged yet."},
    # --- disclosure and defaults ---
    "as_of": {"nb": "Data per {moment}", "en": "Data as of {moment}"},
    "month_is": {"nb": "måned: {month}", "en": "month: {month}"},
    "marks_legend": {
        "nb": "«:» skjult av personvernhensyn: tallet gjelder 1–{below} personer, eller kunne "
              "regnes ut sammen med tall som er vist. «–» ingen verdi (ingen å regne på).",
        "en": "':' hidden for privacy: the figure is about 1–{below} people, or could be "
              "worked out from figures shown. '–' no value (nobody to count).",
    },
    "legend": {"nb": "Tegnforklaring", "en": "Legend"},
    # --- end disclosure and defaults ---
    # --- one process ---
    "serve_running": {"nb": "Flyt kjører på http://{host}:{port}/ (Ctrl+C stopper).",
                      "en": "Flyt is running at http://{host}:{port}/ (Ctrl+C stops it)."},
    "serve_watching": {
        "nb": "Følger PLO-mappene {folders} (intervall {interval} s; kvitteringer i {receipts}).",
        "en": "Watching the PLO folders {folders} (every {interval} s; receipts in {receipts}).",
    },
    "serve_scheduling": {"nb": "Sender rapportene etter planen: {kinds}.",
                         "en": "Mailing the reports on the schedule: {kinds}."},
    "serve_channel": {
        "nb": "`flyt import` og `flyt user disable|enable|passwd` går gjennom denne serveren "
              "mens den kjører.",
        "en": "`flyt import` and `flyt user disable|enable|passwd` go through this server "
              "while it runs.",
    },
    "serve_stopped": {"nb": "Flyt er stoppet.", "en": "Flyt has stopped."},
    "serve_pid_unknown": {"nb": "ukjent", "en": "unknown"},
    "serve_in_use_by_server": {
        "nb": "Feil: databasen er i bruk av en kjørende `flyt serve` (pid {pid}). Stopp den "
              "først, eller gjør dette i dashbordet (opplasting på datasiden, brukere under "
              "/admin/users); `flyt import` og `flyt user disable|enable|passwd` går gjennom "
              "serveren av seg selv, og serveren kan selv følge en PLO-mappe "
              "(`flyt serve --watch-plo MAPPE`).",
        "en": "Error: the database is in use by a running `flyt serve` (pid {pid}). Stop it "
              "first, or do this on the dashboard (the data page's upload, the users under "
              "/admin/users); `flyt import` and `flyt user disable|enable|passwd` go through "
              "the server by themselves, and the server can watch a PLO folder itself "
              "(`flyt serve --watch-plo FOLDER`).",
    },
    "serve_in_use_by_other": {
        "nb": "Feil: databasen {path} er i bruk av en annen prosess (pid {pid}). Vent til den "
              "er ferdig, eller stopp den, og prøv igjen (den innebygde databasen kan bare "
              "være åpen i én prosess om gangen; se docs/deployment.md).",
        "en": "Error: the database {path} is in use by another process (pid {pid}). Wait "
              "until it is done, or stop it, and try again (the embedded database can be open "
              "in one process at a time; see docs/deployment.md).",
    },
    "serve_forwarding": {
        "nb": "Databasen er i bruk av `flyt serve` (pid {pid}): kommandoen går gjennom den.",
        "en": "The database is in use by `flyt serve` (pid {pid}): the command goes through it.",
    },
    "serve_forward_failed": {
        "nb": "Feil: databasen er i bruk av `flyt serve` (pid {pid}), og kommandoen kom ikke "
              "gjennom den: {why}",
        "en": "Error: the database is in use by `flyt serve` (pid {pid}), and the command did "
              "not get through it: {why}",
    },
    # --- end one process ---
    # --- deviations annual ---
    "devann_title_year": {"nb": "Samhandlingsavvik – årsrapport {year}",
                          "en": "Collaboration deviations – annual report {year}"},
    "devann_title_tertial": {"nb": "Samhandlingsavvik – {tertial}. tertial {year}",
                             "en": "Collaboration deviations – tertial {tertial} {year}"},
    "devann_period": {"nb": "Periode: {start}–{end} (avvik etter dato for hendelsen).",
                      "en": "Period: {start}–{end} (deviations by the date they occurred)."},
    "devann_made": {"nb": "Laget {moment}. Status er status da rapporten ble laget.",
                    "en": "Made {moment}. Status is the status when the report was made."},
    "devann_audience": {
        "nb": "For forbedringsgruppen og ASU. Tallene er de samme som i CSV-uttrekket "
              "(flyt report deviations --format csv). Rapporten har ingen fritekst fra "
              "avvikene.",
        "en": "For the improvement group and ASU. The numbers are those of the CSV "
              "extract (flyt report deviations --format csv). The report holds no free "
              "text from the deviations."},
    "devann_rejected_note": {
        "nb": "Avviste avvik (status «avvist») telles bare under status; alle andre "
              "tabeller teller resten.",
        "en": "Rejected deviations (status \"avvist\") count only under status; every "
              "other table counts the rest."},
    "devann_none": {"nb": "Ingen samhandlingsavvik i perioden.",
                    "en": "No collaboration deviations in the period."},
    "devann_only_rejected": {
        "nb": "Alle avvik i perioden er avvist; se status.",
        "en": "Every deviation in the period was rejected; see status."},
    "devann_summary": {"nb": "Oversikt", "en": "Overview"},
    "devann_total": {"nb": "Avvik i perioden", "en": "Deviations in the period"},
    "devann_previous_total": {"nb": "Forrige periode ({period})",
                              "en": "Previous period ({period})"},
    "devann_trend": {"nb": "Utvikling", "en": "Trend"},
    "devann_trend_text": {
        "nb": "{count} avvik i perioden mot {previous} i {period}: {change}.",
        "en": "{count} in the period against {previous} in {period}: {change}."},
    "devann_no_previous": {
        "nb": "Flyt har ingen avvik fra forrige periode ({period}), så rapporten viser "
              "ingen utvikling.",
        "en": "Flyt holds no deviations from the previous period ({period}), so the "
              "report shows no trend."},
    "devann_count": {"nb": "Antall", "en": "Count"},
    "devann_share": {"nb": "Andel", "en": "Share"},
    "devann_share_note": {
        "nb": "Andel av avvikene i perioden (avviste ikke medregnet).",
        "en": "Share of the period's deviations (rejected ones not included)."},
    "devann_many_note": {
        "nb": "Et avvik med flere mottakere telles under hver mottaker og hver retning, "
              "så summen kan bli større enn antall avvik.",
        "en": "A deviation with several receivers counts under each receiver and each "
              "direction, so the sum can exceed the number of deviations."},
    "devann_hour_note": {
        "nb": "Bare avvik meldt med klokkeslett.",
        "en": "Only deviations reported with a time of day."},
    "devann_dim_category": {"nb": "Kategori", "en": "Category"},
    "devann_dim_severity": {"nb": "Alvorlighetsgrad", "en": "Severity"},
    "devann_dim_level": {"nb": "Nivå", "en": "Level"},
    "devann_dim_direction": {"nb": "Retning (melder → mottaker)",
                             "en": "Direction (reporter → receiver)"},
    "devann_dim_reporter_org": {"nb": "Meldt av", "en": "Reported by"},
    "devann_dim_receiver_org": {"nb": "Mottatt av", "en": "Received by"},
    "devann_dim_month": {"nb": "Måned", "en": "Month"},
    "devann_dim_weekday": {"nb": "Ukedag", "en": "Weekday"},
    "devann_dim_hour": {"nb": "Klokkeslett (time)", "en": "Time of day (hour)"},
    "devann_dim_status": {"nb": "Status", "en": "Status"},
    "devann_learning": {"nb": "Læringspunkter og tiltak", "en": "Learning points and measures"},
    "devann_learning_none": {
        "nb": "Ingen læringspunkter er knyttet til avvik som skjedde i perioden.",
        "en": "No learning points are linked to deviations that occurred in the period.",
    },
    "devann_learning_note": {
        "nb": "Læringspunktene som er knyttet til avvik som skjedde i perioden, med tiltakene "
              "som er besluttet, hvem som eier dem og status for oppfølgingen.",
        "en": "The learning points linked to deviations that occurred in the period, with "
              "the measures decided, who owns them and the status of their follow-up.",
    },
    "devann_learning_measures": {"nb": "Tiltak", "en": "Measures"},
    "devann_learning_measure": {"nb": "Tiltak", "en": "Measure"},
    "devann_learning_owner": {"nb": "Eier", "en": "Owner"},
    "devann_learning_due": {"nb": "Frist", "en": "Due"},
    "devann_learning_deviations": {"nb": "Avvik i perioden", "en": "Deviations in the period"},
    "devann_cat_meldinger": {"nb": "Meldinger (PLO/e-meldinger)",
                             "en": "Messages (PLO/e-messages)"},
    "devann_cat_innleggelse": {"nb": "Innleggelse", "en": "Admission"},
    "devann_cat_utskrivning": {"nb": "Utskrivning", "en": "Discharge"},
    "devann_cat_legemidler": {"nb": "Legemidler", "en": "Medicines"},
    "devann_cat_hjelpemidler": {"nb": "Hjelpemidler", "en": "Assistive devices"},
    "devann_cat_transport": {"nb": "Transport", "en": "Transport"},
    "devann_cat_tilgjengelighet": {"nb": "Tilgjengelighet", "en": "Availability"},
    "devann_cat_informasjon": {"nb": "Informasjon", "en": "Information"},
    "devann_cat_avtalebrudd": {"nb": "Brudd på samarbeidsavtalen",
                               "en": "Breach of the collaboration agreement"},
    "devann_cat_annet": {"nb": "Annet", "en": "Other"},
    "devann_sev_ingen_skade": {"nb": "Ingen skade", "en": "No harm"},
    "devann_sev_mindre_skade": {"nb": "Mindre skade", "en": "Minor harm"},
    "devann_sev_moderat_skade": {"nb": "Moderat skade", "en": "Moderate harm"},
    "devann_sev_betydelig_skade": {"nb": "Betydelig skade", "en": "Significant harm"},
    "devann_sev_dod": {"nb": "Død", "en": "Death"},
    "devann_level_pasient": {"nb": "Pasientnivå", "en": "Patient level"},
    "devann_level_system": {"nb": "Systemnivå", "en": "System level"},
    "devann_status_meldt": {"nb": "Meldt", "en": "Reported"},
    "devann_status_mottatt": {"nb": "Mottatt", "en": "Received"},
    "devann_status_under_behandling": {"nb": "Under behandling", "en": "In progress"},
    "devann_status_besvart": {"nb": "Besvart", "en": "Answered"},
    "devann_status_lukket": {"nb": "Lukket", "en": "Closed"},
    "devann_status_avvist": {"nb": "Avvist", "en": "Rejected"},
    "devann_status_gjenapnet": {"nb": "Gjenåpnet", "en": "Reopened"},
    "devann_kind_sykehus": {"nb": "sykehus", "en": "hospital"},
    "devann_kind_kommune": {"nb": "kommune", "en": "municipality"},
    "devann_kind_fastlege": {"nb": "fastlege", "en": "GP"},
    "devann_wrote": {"nb": "Skrev {path} ({size} byte).", "en": "Wrote {path} ({size} bytes)."},
    "devann_timeliness": {"nb": "Tid til mottak og svar", "en": "Time to acknowledge and answer"},
    "devann_time_figure": {"nb": "Mål", "en": "Measure"},
    "devann_time_acknowledged": {"nb": "Mottatt (kvittert av mottaker)",
                                 "en": "Acknowledged by the receiver"},
    "devann_time_acknowledge_median": {
        "nb": "Tid til mottatt, median (arbeidsdager)",
        "en": "Time to acknowledge, median (working days)"},
    "devann_time_acknowledge_p90": {
        "nb": "Tid til mottatt, 90-persentil (arbeidsdager)",
        "en": "Time to acknowledge, 90th percentile (working days)"},
    "devann_time_acknowledge_share": {
        "nb": "Mottatt innen fristen på {days} arbeidsdager",
        "en": "Acknowledged within the deadline of {days} working days"},
    "devann_time_answered": {"nb": "Besvart", "en": "Answered"},
    "devann_time_answer_median": {"nb": "Tid til besvart, median (dager)",
                                  "en": "Time to answer, median (days)"},
    "devann_time_answer_p90": {"nb": "Tid til besvart, 90-persentil (dager)",
                               "en": "Time to answer, 90th percentile (days)"},
    "devann_time_answer_share": {
        "nb": "Moderat skade eller verre besvart innen {answer_days} dager",
        "en": "Moderate harm or worse answered within {answer_days} days"},
    "devann_time_open_at_end": {"nb": "Åpne avvik ved periodens slutt ({end})",
                                "en": "Open deviations at the end of the period ({end})"},
    "devann_time_overdue": {"nb": "Av dem over fristen ({end})",
                            "en": "Of them overdue ({end})"},
    "devann_time_overdue_acknowledge": {"nb": "– over fristen for mottak",
                                        "en": "– past the deadline to acknowledge"},
    "devann_time_overdue_answer": {"nb": "– over fristen for svar",
                                   "en": "– past the deadline to answer"},
    "devann_time_note": {
        "nb": "Tid regnes fra meldt til første «mottatt» og første «besvart». Arbeidsdager "
              "er mandag–fredag utenom helligdager. Andelene teller avvik der utfallet er "
              "kjent (steget er tatt, eller fristen er passert); avvik som ennå er innenfor "
              "fristen telles ikke. Importerte avvik ({imported}) har ingen tider og er "
              "bare med i åpne og over fristen. Avviste avvik er ikke med.",
        "en": "Time counts from the report to the first \"acknowledged\" and the first "
              "\"answered\". Working days are Monday to Friday except public holidays. The "
              "shares count deviations whose outcome is known (the step was taken, or its "
              "deadline passed); those still within their deadline are not counted. "
              "Imported deviations ({imported}) have no times and count only as open and "
              "overdue. Rejected deviations are not included."},
    "devann_areas": {"nb": "Største problemområder", "en": "Top problem areas"},
    "devann_pairs": {"nb": "Organisasjonspar med flest avvik",
                     "en": "Organisation pairs with most deviations"},
    "devann_pair": {"nb": "Melder → mottaker", "en": "Reporter → receiver"},
    "devann_change": {"nb": "Endring", "en": "Change"},
    "devann_areas_note": {
        "nb": "De fem vanligste kombinasjonene. Et avvik med flere mottakere telles under "
              "hver retning og hvert par. «–»: Flyt har ingen avvik fra forrige periode.",
        "en": "The five most frequent combinations. A deviation with several receivers "
              "counts under each direction and each pair. \"–\": Flyt holds no deviations "
              "from the previous period."},
    "devann_page_title": {"nb": "Årsrapport for samhandlingsavvik",
                          "en": "Annual report of collaboration deviations"},
    "devann_page_year": {"nb": "År", "en": "Year"},
    "devann_page_tertial": {"nb": "Periode", "en": "Period"},
    "devann_page_whole_year": {"nb": "Hele året", "en": "The whole year"},
    "devann_page_tertial_1": {"nb": "1. tertial (januar–april)",
                              "en": "Tertial 1 (January–April)"},
    "devann_page_tertial_2": {"nb": "2. tertial (mai–august)", "en": "Tertial 2 (May–August)"},
    "devann_page_tertial_3": {"nb": "3. tertial (september–desember)",
                              "en": "Tertial 3 (September–December)"},
    "devann_page_download": {"nb": "Last ned rapporten", "en": "Download the report"},
    "devann_page_format_pdf": {"nb": "PDF", "en": "PDF"},
    "devann_page_format_html": {"nb": "HTML", "en": "HTML"},
    "devann_page_format_xlsx": {"nb": "Excel (tabell)", "en": "Excel (table)"},
    "devann_page_format_csv": {"nb": "CSV (tabell)", "en": "CSV (table)"},
    "devann_page_audience": {
        "nb": "Tallene er de samme som i rapportfilene. Siden viser bare antall for hele "
              "helsefellesskapet: ingen fritekst, ingen pasientopplysninger og ingen personer.",
        "en": "The numbers are those of the report files. The page shows counts for the "
              "whole health community only: no free text, no patient data and no persons."},
    # --- end deviations annual ---
    # --- deviations report ---
    "devrep_bad_year": {
        "nb": "Ugyldig år «{value}»: oppgi et firesifret år fra {first} til {last}.",
        "en": "Invalid year \"{value}\": give a four-digit year from {first} to {last}.",
    },
    "devrep_bad_tertial": {
        "nb": "Ugyldig tertial «{value}»: oppgi 1 (januar–april), 2 (mai–august) eller "
              "3 (september–desember).",
        "en": "Invalid tertial \"{value}\": give 1 (January–April), 2 (May–August) or "
              "3 (September–December).",
    },
    "devrep_needs_output": {
        "nb": "--format {format} skriver en fil: oppgi den med --output FIL.",
        "en": "--format {format} writes a file: give it with --output FILE.",
    },
    "devrep_wrote": {
        "nb": "Skrev {path} ({rows} rader).",
        "en": "Wrote {path} ({rows} rows).",
    },
    # --- end deviations report ---
    # --- deviations reminders ---
    "dist_kind_deviation-reminder": {"nb": "avvikspåminnelse", "en": "deviation reminder"},
    "dist_kind_deviation-digest": {"nb": "avvikssammendrag", "en": "deviation digest"},
    "devrem_status_meldt": {"nb": "meldt", "en": "reported"},
    "devrem_status_mottatt": {"nb": "mottatt", "en": "acknowledged"},
    "devrem_status_under_behandling": {"nb": "under behandling", "en": "in progress"},
    "devrem_status_besvart": {"nb": "besvart", "en": "answered"},
    "devrem_status_lukket": {"nb": "lukket", "en": "closed"},
    "devrem_status_avvist": {"nb": "avvist", "en": "rejected"},
    "devrem_status_gjenapnet": {"nb": "gjenåpnet", "en": "reopened"},
    "devrem_close_comment": {
        "nb": "Lukket automatisk: besvart {answered}, ingen reaksjon fra melder på {days} "
              "dager.",
        "en": "Closed automatically: answered on {answered}, no response from the reporter "
              "within {days} days.",
    },
    "devrem_reminder_subject_acknowledge": {
        "nb": "Påminnelse: avvik {id} er ikke bekreftet mottatt",
        "en": "Reminder: deviation {id} has not been acknowledged",
    },
    "devrem_reminder_subject_answer": {
        "nb": "Påminnelse: avvik {id} mangler skriftlig svar",
        "en": "Reminder: deviation {id} has no written answer",
    },
    "devrem_reminder_body_acknowledge": {
        "nb": "Avvik {id} «{summary}» ble meldt {reported}. Fristen for å bekrefte mottak "
              "var {due}. Status: {status}.",
        "en": "Deviation {id} \"{summary}\" was reported on {reported}. The deadline to "
              "acknowledge it was {due}. Status: {status}.",
    },
    "devrem_reminder_body_answer": {
        "nb": "Avvik {id} «{summary}» ble meldt {reported}. Fristen for skriftlig svar var "
              "{due}. Status: {status}.",
        "en": "Deviation {id} \"{summary}\" was reported on {reported}. The deadline for "
              "a written answer was {due}. Status: {status}.",
    },
    "devrem_footer": {
        "nb": "Denne e-posten er sendt automatisk av Flyt. Åpne avviket i Flyt for å "
              "behandle det.",
        "en": "This e-mail was sent automatically by Flyt. Open the deviation in Flyt to "
              "handle it.",
    },
    "devrem_digest_subject": {
        "nb": "Avvik med frist {day}: {count}",
        "en": "Deviations with a deadline, {day}: {count}",
    },
    "devrem_digest_intro": {
        "nb": "Åpne avvik per {day} som har passert fristen eller har frist innen "
              "{horizon} arbeidsdager:",
        "en": "Open deviations as of {day} that are overdue or due within {horizon} "
              "working days:",
    },
    "devrem_digest_received": {"nb": "Mottatt av dere:", "en": "Received by you:"},
    "devrem_digest_reported": {"nb": "Meldt av dere:", "en": "Reported by you:"},
    "devrem_digest_line": {
        "nb": "- {id} «{summary}» – {status}, frist {due}",
        "en": "- {id} \"{summary}\" – {status}, due {due}",
    },
    "devrem_digest_line_overdue": {
        "nb": "- {id} «{summary}» – {status}, frist {due} (passert)",
        "en": "- {id} \"{summary}\" – {status}, due {due} (overdue)",
    },
    "devrem_closed": {"nb": "{id} lukket automatisk.", "en": "{id} closed automatically."},
    "devrem_would_close": {"nb": "{id} ville blitt lukket automatisk.",
                           "en": "{id} would be closed automatically."},
    "devrem_no_address": {
        "nb": "Ingen adresse for organisasjon {org} under [deviations.contacts]: {period} "
              "ikke sendt til den.",
        "en": "No address for organisation {org} under [deviations.contacts]: {period} "
              "not sent to it.",
    },
    "devrem_would_send": {"nb": "Ville sendt {what} {period} til {count} mottakere.",
                          "en": "Would send {what} {period} to {count} recipients."},
    "devrem_sent": {"nb": "Sendt {what} {period} til {count} mottakere.",
                    "en": "Sent {what} {period} to {count} recipients."},
    "devrem_send_failed": {"nb": "Kunne ikke sende {what} {period} (forsøk {attempt}): "
                                 "{error}",
                           "en": "Could not send {what} {period} (attempt {attempt}): "
                                 "{error}"},
    "devrem_nothing": {"nb": "Ingenting å lukke eller minne om.",
                       "en": "Nothing to close or remind of."},
    # --- end deviations reminders ---
    # --- deviations demo ---
    "demodev_stored": {
        "nb": "Samhandlingsavvik: {count} demoavvik fra {start} til {end} lagret.",
        "en": "Collaboration deviations: {count} demo deviations from {start} to {end} stored.",
    },
    "demodev_kept": {
        "nb": "Samhandlingsavvik: {count} demoavvik fra en tidligere `flyt demo` er beholdt.",
        "en": "Collaboration deviations: {count} demo deviations from an earlier `flyt demo` "
              "are kept.",
    },
    "demodev_refused": {
        "nb": "Samhandlingsavvik: ingen demoavvik lagret. {why}",
        "en": "Collaboration deviations: no demo deviations stored. {why}",
    },
    "demodev_users": {
        "nb": "Demobrukere for hver type organisasjon (nye passord hver gang):",
        "en": "Demo users for each kind of organisation (new passwords each time):",
    },
    "demodev_user": {"nb": "  {name} – {who}: passord {password}",
                     "en": "  {name} – {who}: password {password}"},
    "demodev_who_municipality": {"nb": "kommune, {org}", "en": "municipality, {org}"},
    "demodev_who_gp": {"nb": "fastlege, {org}", "en": "GP, {org}"},
    "demodev_who_improvement": {"nb": "forbedringsgruppen, ser alle avvik",
                                "en": "the improvement group, sees every deviation"},
    "demodev_who_competence": {"nb": "kompetansegruppen, redigerer tiltaksplanen",
                               "en": "the competence group, edits the action plan"},
    # --- end deviations demo ---
    # --- deviations learning ---
    "action_learning": {"nb": "læringspunkter (alle)", "en": "learning points (all)"},
    "action_learning.create": {"nb": "læringspunkt laget", "en": "learning point made"},
    "action_learning.read": {"nb": "læringspunkt lest", "en": "learning point read"},
    "action_learning.read.refused": {"nb": "læringspunkt nektet lest",
                                     "en": "learning point read refused"},
    "action_learning.change": {"nb": "læringspunkt endret", "en": "learning point changed"},
    "action_learning.list": {"nb": "læringspunkter listet", "en": "learning points listed"},
    "action_incident": {"nb": "hendelsesanalyser (alle)", "en": "incident analyses (all)"},
    "action_incident.read": {"nb": "hendelsesanalyse lest", "en": "incident analysis read"},
    "action_incident.change": {"nb": "hendelsesanalyse endret",
                               "en": "incident analysis changed"},
    "learn_title": {"nb": "Læringspunkter og tiltak", "en": "Learning points and measures"},
    "learn_new_title": {"nb": "Nytt læringspunkt", "en": "New learning point"},
    "learn_point_title": {"nb": "Læringspunkt", "en": "Learning point"},
    "learn_intro": {"nb": "Det vi har lært av samhandlingsavvikene, tiltakene vi har "
                          "bestemt, hvem som eier dem og hvor langt de har kommet.",
                    "en": "What the deviations taught us, the measures decided, who owns "
                          "them and how far they have come."},
    "learn_filters": {"nb": "Filtrer læringspunkter", "en": "Filter learning points"},
    "learn_filter": {"nb": "Vis", "en": "Show"},
    "learn_any": {"nb": "alle", "en": "any"},
    "learn_organisation": {"nb": "Organisasjon", "en": "Organisation"},
    "learn_none": {"nb": "Ingen læringspunkter å vise.", "en": "No learning points to show."},
    "learn_deviations": {"nb": "Avvik", "en": "Deviations"},
    "learn_updated": {"nb": "Endret", "en": "Changed"},
    "learn_version": {"nb": "versjon", "en": "version"},
    "learn_measures": {"nb": "Tiltak", "en": "Measures"},
    "learn_no_measures": {"nb": "Ingen tiltak ennå.", "en": "No measures yet."},
    "learn_back_to_list": {"nb": "Til læringspunktene", "en": "To the learning points"},
    "learn_create": {"nb": "Lagre læringspunktet", "en": "Save the learning point"},
    "learn_edit": {"nb": "Endre læringspunktet", "en": "Edit the learning point"},
    "learn_field_title": {"nb": "Tittel", "en": "Title"},
    "learn_field_description": {"nb": "Beskrivelse", "en": "Description"},
    "learn_field_deviations": {"nb": "Avvik det gjelder", "en": "Deviations it concerns"},
    "learn_field_deviations_hint": {
        "nb": "Ett eller flere avviks-id-er, f.eks. AV-2024-00017, skilt med mellomrom eller "
              "komma. Bare avvik du selv kan se.",
        "en": "One or more deviation ids, e.g. AV-2024-00017, separated by spaces or commas. "
              "Only deviations you can see yourself."},
    "learn_measure_text": {"nb": "Tiltak", "en": "Measure"},
    "learn_measure_owner": {"nb": "Eier (organisasjon)", "en": "Owner (organisation)"},
    "learn_measure_person": {"nb": "Ansvarlig person eller rolle",
                             "en": "Person or role in charge"},
    "learn_measure_due": {"nb": "Frist", "en": "Due"},
    "learn_measure_status": {"nb": "Status for tiltak", "en": "Measure status"},
    "learn_measure_add": {"nb": "Legg til tiltak", "en": "Add a measure"},
    "learn_measure_change": {"nb": "Endre tiltak", "en": "Change measure"},
    "learn_status_planlagt": {"nb": "planlagt", "en": "planned"},
    "learn_status_pagar": {"nb": "pågår", "en": "in progress"},
    "learn_status_gjennomfort": {"nb": "gjennomført", "en": "done"},
    "learn_status_forkastet": {"nb": "forkastet", "en": "dropped"},
    "learn_done_created": {"nb": "Læringspunktet er lagret.",
                           "en": "The learning point was saved."},
    "learn_done_saved": {"nb": "Endringen er lagret.", "en": "The change was saved."},
    "learn_done_measure_added": {"nb": "Tiltaket er lagt til.", "en": "The measure was added."},
    "learn_done_measure_saved": {"nb": "Tiltaket er lagret.", "en": "The measure was saved."},
    "learn_not_found": {"nb": "Fant ikke læringspunkt {id}.",
                        "en": "Learning point {id} was not found."},
    "learn_measure_not_found": {"nb": "Fant ikke tiltak {id} på dette læringspunktet.",
                                "en": "Measure {id} was not found on this learning point."},
    "learn_no_link": {"nb": "Et læringspunkt må gjelde minst ett avvik.",
                      "en": "A learning point must concern at least one deviation."},
    "learn_too_many_links": {"nb": "Høyst {limit} avvik per læringspunkt.",
                             "en": "At most {limit} deviations per learning point."},
    "learn_unknown_link": {"nb": "Avvik {id} finnes ikke eller er ikke synlig for deg.",
                           "en": "Deviation {id} does not exist or is not visible to you."},
    "learn_title_required": {"nb": "Læringspunktet trenger en tittel.",
                             "en": "The learning point needs a title."},
    "learn_title_too_long": {"nb": "Tittelen har {length} tegn; høyst {limit} er tillatt.",
                             "en": "The title has {length} characters; at most {limit} are "
                                   "allowed."},
    "learn_text_too_long": {"nb": "Teksten har {length} tegn; høyst {limit} er tillatt.",
                            "en": "The text has {length} characters; at most {limit} are "
                                  "allowed."},
    "learn_measure_required": {"nb": "Skriv hva tiltaket er.", "en": "Write what the measure is."},
    "learn_measure_too_long": {"nb": "Tiltaket har {length} tegn; høyst {limit} er tillatt.",
                               "en": "The measure has {length} characters; at most {limit} "
                                     "are allowed."},
    "learn_person_too_long": {"nb": "Ansvarlig har {length} tegn; høyst {limit} er tillatt.",
                              "en": "The person in charge has {length} characters; at most "
                                    "{limit} are allowed."},
    "learn_unknown_owner": {"nb": "Ukjent organisasjon: «{org}».",
                            "en": "Unknown organisation: \u201c{org}\u201d."},
    "learn_bad_status": {"nb": "Ukjent status for tiltak: «{value}» (kjente: {known}).",
                         "en": "Unknown measure status: \u201c{value}\u201d (known: {known})."},
    "learn_bad_day": {"nb": "«{value}» er ikke en dato (dd.mm.åååå).",
                      "en": "\u201c{value}\u201d is not a date (yyyy-mm-dd)."},
    "learn_bad_number": {"nb": "«{value}» er ikke et versjonsnummer.",
                         "en": "\u201c{value}\u201d is not a version number."},
    "learn_not_allowed": {"nb": "Du kan lese, men ikke endre læringspunkter.",
                          "en": "You may read learning points but not change them."},
    "learn_stale": {"nb": "Noen andre endret læringspunktet mens du skrev (versjon {given} er "
                          "ikke lenger den siste). Det du skrev, står i skjemaet: se over og "
                          "lagre på nytt.",
                    "en": "Someone else changed the learning point while you were writing "
                          "(version {given} is no longer the latest). What you typed is in "
                          "the form: check it and save again."},
    "learn_measure_stale": {"nb": "Noen andre endret tiltaket mens du skrev. Det du skrev, står "
                                  "i skjemaet: se over og lagre på nytt.",
                            "en": "Someone else changed the measure while you were writing. "
                                  "What you typed is in the form: check it and save again."},
    "incident_title": {"nb": "Varsling og hendelsesanalyse",
                       "en": "Notification and incident analysis"},
    "incident_intro": {
        "nb": "Avvik med betydelig skade eller død skal vurderes for varsel til Statens "
              "helsetilsyn og for en hendelsesanalyse etter Helsedirektoratets metode "
              "(IS-0583). Bare avvikets egne organisasjoner fører dette.",
        "en": "Deviations with significant harm or death are considered for notification to "
              "the Norwegian Board of Health Supervision and for an incident analysis by the "
              "Directorate of Health's method (IS-0583). Only the deviation's own "
              "organisations record it."},
    "incident_severity": {"nb": "Alvorlighet", "en": "Severity"},
    "incident_done": {"nb": "Lagret.", "en": "Saved."},
    "incident_read_only": {"nb": "Du kan lese dette, men bare avvikets egne organisasjoner "
                                 "kan endre det.",
                           "en": "You may read this; only the deviation's own organisations "
                                 "may change it."},
    "incident_notice_legend": {"nb": "Varsel til Statens helsetilsyn",
                               "en": "Notification to the Board of Health Supervision"},
    "incident_notice_hint": {"nb": "Sendt: dato (og referanse). Ikke sendt eller ikke aktuelt: "
                                   "begrunnelse.",
                             "en": "Sent: the date (and reference). Not sent or not "
                                   "applicable: the reason."},
    "incident_notice_sendt": {"nb": "Sendt", "en": "Sent"},
    "incident_notice_ikke_sendt": {"nb": "Ikke sendt", "en": "Not sent"},
    "incident_notice_ikke_aktuelt": {"nb": "Ikke aktuelt", "en": "Not applicable"},
    "incident_notice_sent_on": {"nb": "Sendt dato", "en": "Sent on"},
    "incident_notice_reference": {"nb": "Referanse", "en": "Reference"},
    "incident_notice_reason": {"nb": "Begrunnelse", "en": "Reason"},
    "incident_steps_legend": {"nb": "Hendelsesanalysen: sjekkliste",
                              "en": "The incident analysis: checklist"},
    "incident_steps_hint": {"nb": "For hvert steg som er gjort: dato og hvem.",
                            "en": "For each step done: the date and who."},
    "incident_step_mandate": {"nb": "Oppdrag (mandat) gitt av ledelsen",
                              "en": "Mandate given by the management"},
    "incident_step_team": {"nb": "Analyseteam oppnevnt", "en": "Analysis team appointed"},
    "incident_step_facts": {"nb": "Fakta samlet og hendelsesforløp (tidslinje) kartlagt",
                            "en": "Facts gathered and course of events (timeline) mapped"},
    "incident_step_interviews": {"nb": "Intervjuer med involverte",
                                 "en": "Interviews with those involved"},
    "incident_step_causes": {"nb": "Årsaksanalyse: direkte og bakenforliggende årsaker",
                             "en": "Causal analysis: direct and underlying causes"},
    "incident_step_measures": {"nb": "Tiltak foreslått", "en": "Measures proposed"},
    "incident_step_report": {"nb": "Rapport levert oppdragsgiver",
                             "en": "Report delivered to the mandating manager"},
    "incident_step_followup": {"nb": "Tiltak besluttet og fulgt opp av ledelsen",
                               "en": "Measures decided and followed up by the management"},
    "incident_step_on": {"nb": "Dato gjort", "en": "Done on"},
    "incident_step_by": {"nb": "Av hvem", "en": "By whom"},
    "incident_step_done": {"nb": "gjort", "en": "done"},
    "incident_outcome_legend": {"nb": "Utfall", "en": "Outcome"},
    "incident_conclusion": {"nb": "Konklusjon", "en": "Conclusion"},
    "incident_learning": {"nb": "Læringspunkt (nummer)", "en": "Learning point (number)"},
    "incident_learning_hint": {"nb": "Nummeret på læringspunktet analysen ga.",
                               "en": "The number of the learning point the analysis gave."},
    "incident_learning_open": {"nb": "Åpne læringspunktet", "en": "Open the learning point"},
    "incident_not_notifiable": {
        "nb": "Avvik {id} er ikke betydelig skade eller død: det har ingen varslingsplikt "
              "eller hendelsesanalyse.",
        "en": "Deviation {id} is not significant harm or death: it has no notification duty "
              "or incident analysis."},
    "incident_not_allowed": {"nb": "Bare avvikets egne organisasjoner kan føre varsel og "
                                   "hendelsesanalyse.",
                             "en": "Only the deviation's own organisations may record the "
                                   "notification and the incident analysis."},
    "incident_bad_notice": {"nb": "Ukjent valg for varsel: «{value}» (kjente: {known}).",
                            "en": "Unknown notification choice: \u201c{value}\u201d (known: "
                                  "{known})."},
    "incident_reason_required": {"nb": "Skriv en begrunnelse når varsel ikke er sendt eller "
                                       "ikke er aktuelt.",
                                 "en": "Give a reason when no notification was sent or it "
                                       "does not apply."},
    "incident_sent_on_required": {"nb": "Skriv datoen varselet ble sendt.",
                                  "en": "Give the date the notification was sent."},
    "incident_day_in_future": {"nb": "Datoen {day} er etter i dag.",
                               "en": "The date {day} is after today."},
    "incident_unknown_learning": {"nb": "Læringspunkt {id} finnes ikke eller er ikke synlig "
                                        "for deg.",
                                  "en": "Learning point {id} does not exist or is not "
                                        "visible to you."},
    "incident_bad_learning": {"nb": "«{value}» er ikke et læringspunktnummer.",
                              "en": "\u201c{value}\u201d is not a learning point number."},
    "incident_bad_step": {"nb": "Ukjent steg i sjekklisten: «{value}».",
                          "en": "Unknown checklist step: \u201c{value}\u201d."},
    "incident_step_day_required": {"nb": "Et steg med «av hvem» trenger også datoen det ble "
                                         "gjort.",
                                   "en": "A step with \u201cby whom\u201d also needs the date "
                                         "it was done."},
    "incident_who_too_long": {"nb": "Feltet har {length} tegn; høyst {limit} er tillatt.",
                              "en": "The field has {length} characters; at most {limit} are "
                                    "allowed."},
    "incident_text_too_long": {"nb": "Teksten har {length} tegn; høyst {limit} er tillatt.",
                               "en": "The text has {length} characters; at most {limit} are "
                                     "allowed."},
    "incident_stale": {"nb": "Noen andre lagret dette mens du skrev. Det du skrev, står i "
                             "skjemaet: se over og lagre på nytt.",
                       "en": "Someone else saved this while you were writing. What you typed "
                             "is in the form: check it and save again."},
    # --- end deviations learning ---
    # --- deviations reporting ---
    "devform_title": {"nb": "Meld samhandlingsavvik", "en": "Report a collaboration deviation"},
    "devform_intro": {
        "nb": "Meld det som gikk galt mellom sykehuset, kommunene og fastlegene. Felt "
              "merket (påkrevd) må fylles ut.",
        "en": "Report what went wrong between the hospital, the municipalities and the "
              "GPs. Fields marked (required) must be filled in."},
    "devform_guide_link": {"nb": "Veileder: slik melder du avvik",
                           "en": "Guide: how to report a deviation"},
    "devform_errors_heading": {"nb": "Rett opp dette før du sender",
                               "en": "Correct this before you send"},
    "devform_required": {"nb": "påkrevd", "en": "required"},
    "devform_optional": {"nb": "valgfritt", "en": "optional"},
    "devform_f_reporter": {"nb": "Meldes fra", "en": "Reported by"},
    "devform_reporter_hint": {
        "nb": "Din egen organisasjon; den vises alltid for mottakeren.",
        "en": "Your own organisation; the receiver always sees it."},
    "devform_f_receivers": {"nb": "Mottaker", "en": "Receiver"},
    "devform_receivers_hint": {
        "nb": "Den eller de virksomhetene avviket gjelder. Velg én eller flere.",
        "en": "The organisation or organisations the deviation concerns. Choose one or "
              "more."},
    "devform_group_hospital": {"nb": "Sykehuset", "en": "The hospital"},
    "devform_group_municipalities": {"nb": "Kommunene", "en": "The municipalities"},
    "devform_group_gps": {"nb": "Fastlegene", "en": "The GPs"},
    "devform_f_occurred_date": {"nb": "Dato for hendelsen", "en": "Date of the event"},
    "devform_f_occurred_time": {"nb": "Klokkeslett", "en": "Time of day"},
    "devform_f_category": {"nb": "Kategori", "en": "Category"},
    "devform_f_subcategory": {"nb": "Underkategori", "en": "Subcategory"},
    "devform_f_severity": {"nb": "Alvorlighetsgrad", "en": "Severity"},
    "devform_f_level": {"nb": "Nivå", "en": "Level"},
    "devform_level_pasient_hint": {
        "nb": "Avviket gjelder én pasient.",
        "en": "The deviation concerns one patient."},
    "devform_level_system_hint": {
        "nb": "Et brudd på samarbeidsavtalen på systemnivå, ikke knyttet til én pasient. "
              "Oppgi da avtalepunktet.",
        "en": "A breach of the collaboration agreement at system level, not about one "
              "patient. Then name the clause."},
    "devform_f_clause": {"nb": "Punkt i samarbeidsavtalen",
                         "en": "Clause of the collaboration agreement"},
    "devform_clause_when": {"nb": "påkrevd på systemnivå", "en": "required at system level"},
    "devform_clause_hint": {"nb": "For eksempel «tjenesteavtale 3 §4.2».",
                            "en": "For example \"tjenesteavtale 3 §4.2\"."},
    "devform_f_patient_ref": {"nb": "Pasientreferanse", "en": "Patient reference"},
    "devform_patient_ref_hint": {
        "nb": "Bare en pseudonym referanse som dere selv kan slå opp (for eksempel "
              "saksnummeret i eget system). Aldri fødselsnummer eller navn.",
        "en": "Only a pseudonymous reference you can look up yourselves (for example the "
              "case number in your own system). Never a national id or a name."},
    "devform_f_place": {"nb": "Sted", "en": "Place"},
    "devform_place_hint": {
        "nb": "Enheten eller stedet, for eksempel «St. Olavs hospital, Klinikk for "
              "medisin» eller «Øya helsehus».",
        "en": "The unit or place, for example \"St. Olavs hospital, Klinikk for "
              "medisin\" or \"Øya helsehus\"."},
    "devform_privacy_note": {
        "nb": "Skriv ikke navn eller fødselsnummer i tekstfeltene. Beskriv hva som "
              "skjedde, ikke hvem.",
        "en": "Do not write names or national ids in the text fields. Describe what "
              "happened, not who."},
    "devform_f_summary": {"nb": "Kort beskrivelse", "en": "Summary"},
    "devform_summary_hint": {"nb": "Én setning, for eksempel «Utskrevet uten "
                                   "legemiddelliste».",
                             "en": "One sentence, for example \"Discharged without a "
                                   "medicine list\"."},
    "devform_f_description": {"nb": "Hva skjedde?", "en": "What happened?"},
    "devform_description_hint": {
        "nb": "Forløpet, hva som var avtalt og hva som manglet.",
        "en": "The course of events, what was agreed and what was missing."},
    "devform_f_immediate_action": {"nb": "Hva ble gjort straks?",
                                   "en": "Immediate action taken"},
    "devform_immediate_action_hint": {
        "nb": "Det dere gjorde for pasienten eller saken med en gang.",
        "en": "What you did for the patient or the matter at once."},
    "devform_f_anonymous": {"nb": "Skjul meg som melder for mottakeren",
                            "en": "Hide me as the reporter from the receiver"},
    "devform_anonymous_hint": {
        "nb": "Mottakeren ser da ikke hvem du er, men ser alltid hvilken organisasjon "
              "avviket er meldt fra.",
        "en": "The receiver then does not see who you are, but always sees which "
              "organisation reported the deviation."},
    "devform_submit": {"nb": "Send avviket", "en": "Send the deviation"},
    "devform_warning_heading": {"nb": "Sjekk før du sender",
                                "en": "Check before you send"},
    "devform_warning_text": {
        "nb": "Ingenting er sendt ennå. Rett teksten og send igjen, eller kryss av for "
              "å sende likevel hvis teksten ikke identifiserer noen.",
        "en": "Nothing has been sent yet. Correct the text and send again, or tick the "
              "box to send anyway if the text identifies no one."},
    "devform_send_anyway": {"nb": "Send likevel: teksten identifiserer ingen",
                            "en": "Send anyway: the text identifies no one"},
    "devform_warn_national_id": {
        "nb": "{field}: teksten ser ut til å inneholde et fødselsnummer (11 sifre).",
        "en": "{field}: the text looks like it holds a national identity number "
              "(11 digits)."},
    "devform_warn_name": {
        "nb": "{field}: teksten ser ut til å inneholde et personnavn.",
        "en": "{field}: the text looks like it holds a personal name."},
    "devform_date_required": {"nb": "Oppgi datoen for hendelsen.",
                              "en": "Give the date of the event."},
    "devform_date_bad": {"nb": "Datoen må skrives som dd.mm.åååå.",
                         "en": "Write the date as yyyy-mm-dd."},
    "devform_time_bad": {"nb": "Klokkeslettet må skrives som tt:mm, for eksempel 14:30.",
                         "en": "Write the time as hh:mm, for example 14:30."},
    "devform_date_future": {"nb": "Hendelsen kan ikke ha skjedd fram i tid.",
                            "en": "The event cannot lie in the future."},
    "devform_choose": {"nb": "Velg {field}.", "en": "Choose the {field}."},
    "devform_too_long": {"nb": "For lang: {length} tegn (høyst {max}).",
                         "en": "Too long: {length} characters (at most {max})."},
    "devform_no_organisation": {
        "nb": "Du handler ikke for noen organisasjon og kan derfor ikke melde avvik. "
              "Veilederen kan du likevel lese.",
        "en": "You act for no organisation and therefore cannot report deviations. You "
              "can still read the guide."},
    "devguide_title": {"nb": "Veileder: samhandlingsavvik",
                       "en": "Guide: collaboration deviations"},
    "devguide_intro": {
        "nb": "En kort opplæring i å melde samhandlingsavvik: hva det er, hvordan du "
              "melder, og hva som skjer etterpå.",
        "en": "A short course in reporting collaboration deviations: what they are, how "
              "to report, and what happens next."},
    "devguide_report_link": {"nb": "Meld et avvik", "en": "Report a deviation"},
    "devguide_list_link": {"nb": "Se avvikene", "en": "See the deviations"},
    "devguide_what_heading": {"nb": "Hva er et samhandlingsavvik?",
                              "en": "What is a collaboration deviation?"},
    "devguide_what": {
        "nb": "Noe som gikk galt mellom virksomhetene: mellom sykehuset, kommunene og "
              "fastlegene. For eksempel en melding som aldri kom, en pasient sendt hjem "
              "uten legemiddelliste, eller et punkt i samarbeidsavtalen som ikke ble "
              "fulgt.",
        "en": "Something that went wrong between the organisations: between the "
              "hospital, the municipalities and the GPs. For example a message that "
              "never came, a patient sent home without a medicine list, or a clause of "
              "the collaboration agreement not kept."},
    "devguide_what_not": {
        "nb": "Det er ikke et samhandlingsavvik når feilen skjedde hos dere selv. Interne "
              "avvik meldes i virksomhetens eget avvikssystem (for eksempel EQS, Synergi "
              "eller Compilo).",
        "en": "It is not a collaboration deviation when the error happened in your own "
              "organisation. Internal deviations go into your own deviation system (for "
              "example EQS, Synergi or Compilo)."},
    "devguide_steps_heading": {"nb": "Slik melder du – fem steg",
                               "en": "How to report – five steps"},
    "devguide_step_1": {
        "nb": "Velg mottaker: virksomheten eller virksomhetene avviket gjelder.",
        "en": "Choose the receiver: the organisation or organisations the deviation "
              "concerns."},
    "devguide_step_2": {
        "nb": "Oppgi når det skjedde (dato, og klokkeslett om du vet det).",
        "en": "Say when it happened (the date, and the time if you know it)."},
    "devguide_step_3": {
        "nb": "Velg kategori og alvorlighetsgrad (se forklaringene og eksemplene under), "
              "og om det gjelder én pasient eller systemet.",
        "en": "Choose the category and the severity (see the explanations and examples "
              "below), and whether it concerns one patient or the system."},
    "devguide_step_4": {
        "nb": "Beskriv hva som skjedde og hva dere gjorde straks – uten navn og "
              "fødselsnummer.",
        "en": "Describe what happened and what you did at once – without names or "
              "national ids."},
    "devguide_step_5": {
        "nb": "Send. Du følger avviket og svaret i avvikslisten.",
        "en": "Send. You follow the deviation and the answer in the list of "
              "deviations."},
    "devguide_example": {"nb": "Eksempel", "en": "Example"},
    "devguide_categories_heading": {"nb": "Kategorier", "en": "Categories"},
    "devguide_severities_heading": {"nb": "Alvorlighetsgrad", "en": "Severity"},
    "devguide_after_heading": {"nb": "Hva skjer etterpå?", "en": "What happens next?"},
    "devguide_after_reported": {
        "nb": "Avviket får status «meldt» og et nummer (AV-år-nummer). Mottakeren ser "
              "det straks.",
        "en": "The deviation gets the status \"reported\" and a number (AV-year-number). "
              "The receiver sees it at once."},
    "devguide_after_acknowledge": {
        "nb": "Mottakeren bekrefter mottak innen {days} arbeidsdager (helligdager ikke "
              "medregnet).",
        "en": "The receiver acknowledges it within {days} working days (public holidays "
              "not counted)."},
    "devguide_after_answer": {
        "nb": "Ved {severity} eller alvorligere skal mottakeren svare skriftlig innen "
              "{days} dager. Du får beskjed når svaret kommer.",
        "en": "For {severity} or worse the receiver must answer in writing within "
              "{days} days. You are told when the answer comes."},
    "devguide_after_close": {
        "nb": "Du kan lukke avviket når du har fått svar. Ellers lukkes det automatisk "
              "{days} dager etter svaret.",
        "en": "You can close the deviation once answered. Otherwise it closes by itself "
              "{days} days after the answer."},
    "devguide_after_reject": {
        "nb": "Mottakeren kan avvise et avvik med en begrunnelse. Er du uenig i svaret "
              "eller avvisningen, kan du gjenåpne det.",
        "en": "The receiver may reject a deviation, giving a reason. If you disagree "
              "with the answer or the rejection, you can reopen it."},
    "devguide_after_serious": {
        "nb": "Betydelig skade og død merkes som kandidater for varsel til Statens "
              "helsetilsyn og for hendelsesanalyse. Forbedringsgruppen bruker avvikene "
              "i årsrapporten, uten pasientreferanse og uten navn på melderen.",
        "en": "Significant harm and death are flagged as candidates for notice to the "
              "Norwegian Board of Health Supervision and for an incident analysis. The "
              "improvement group uses the deviations in the annual report, without the "
              "patient reference and without the reporter's name."},
    "devguide_anonymity_heading": {"nb": "Anonymt", "en": "Anonymous"},
    "devguide_anonymity": {
        "nb": "Kryss av for å skjule deg som melder, så ser ikke mottakeren hvem du er. "
              "Organisasjonen du melder fra, ser mottakeren alltid.",
        "en": "Tick the box to hide yourself as the reporter, and the receiver does not "
              "see who you are. The receiver always sees the organisation you report "
              "from."},
    "devguide_privacy_heading": {"nb": "Ingen navn eller fødselsnummer",
                                 "en": "No names or national ids"},
    "devguide_privacy": {
        "nb": "Skriv aldri fødselsnummer eller navn på pasienter, pårørende eller ansatte. "
              "Bruk en pseudonym pasientreferanse. Flyt varsler før sending hvis teksten "
              "ser ut til å inneholde et fødselsnummer eller et navn, og avviser en "
              "pasientreferanse som ser ut som et fødselsnummer.",
        "en": "Never write national ids or names of patients, relatives or staff. Use a "
              "pseudonymous patient reference. Flyt warns before sending when the text "
              "looks like it holds a national id or a name, and refuses a patient "
              "reference that looks like a national id."},
    # --- end deviations reporting ---
    # --- deviations api ---
    "action_token": {"nb": "API-nøkler (alle)", "en": "API tokens (all)"},
    "action_token.create": {"nb": "API-nøkkel laget", "en": "API token created"},
    "action_token.revoke": {"nb": "API-nøkkel trukket tilbake", "en": "API token revoked"},
    "action_token.refused": {"nb": "API-nøkkel avvist", "en": "API token refused"},
    "action_deviation.export": {"nb": "avvik eksportert", "en": "deviations exported"},
    "token_created": {
        "nb": "Ny API-nøkkel {prefix} for {user} (over). Den vises bare denne ene gangen "
              "og lagres bare som en hash: ta vare på den nå.",
        "en": "New API token {prefix} for {user} (above). It is shown this once only and "
              "stored only as a hash: keep it now.",
    },
    "token_revoked": {"nb": "API-nøkkelen {prefix} ({user}) er trukket tilbake ({at}).",
                      "en": "The API token {prefix} ({user}) is revoked ({at})."},
    "token_none": {"nb": "Ingen API-nøkler.", "en": "No API tokens."},
    "api_sign_in_required": {
        "nb": "Logg inn først: send en API-nøkkel i Authorization: Bearer.",
        "en": "Sign in first: send an API token in Authorization: Bearer.",
    },
    "api_token_refused": {
        "nb": "API-nøkkelen er ukjent, feil eller trukket tilbake, eller brukeren er "
              "deaktivert.",
        "en": "The API token is unknown, wrong or revoked, or its user is disabled.",
    },
    "api_token_blocked": {
        "nb": "For mange feil API-nøkler fra denne adressen: prøv igjen senere.",
        "en": "Too many wrong API tokens from this address: try again later.",
    },
    "api_too_large": {"nb": "Forespørselen er større enn {max} KiB.",
                      "en": "The request is larger than {max} KiB."},
    "api_bad_json": {"nb": "Forespørselen er ikke gyldig JSON.",
                     "en": "The request body is not valid JSON."},
    "api_not_object": {"nb": "Forespørselen må være et JSON-objekt.",
                       "en": "The request body must be a JSON object."},
    "api_flyt_fields": {"nb": "Feltene {fields} settes av Flyt, ikke av den som melder.",
                        "en": "The fields {fields} are set by Flyt, not by the caller."},
    "api_unknown_fields": {"nb": "Ukjente felt: {fields}.", "en": "Unknown fields: {fields}."},
    "api_missing_fields": {"nb": "Felt som mangler: {fields}.",
                           "en": "Missing fields: {fields}."},
    "api_too_long": {"nb": "«{field}» er lengre enn {max} tegn.",
                     "en": "\"{field}\" is longer than {max} characters."},
    "api_too_many": {"nb": "«{field}» har flere enn {max} verdier.",
                     "en": "\"{field}\" has more than {max} values."},
    "api_bad_field": {"nb": "«{field}» må være {expected}.",
                      "en": "\"{field}\" must be {expected}."},
    "api_expect_text": {"nb": "tekst", "en": "text"},
    "api_expect_boolean": {"nb": "true eller false", "en": "true or false"},
    "api_expect_version": {"nb": "et helt tall fra 1", "en": "a whole number from 1"},
    "api_expect_receivers": {"nb": "en org_id eller en liste av dem",
                             "en": "an org_id or a list of them"},
    "api_bad_moment": {
        "nb": "«{field}» må være en dato eller et tidspunkt i ISO 8601, Oslo-tid "
              "(2024-11-20 eller 2024-11-20T14:30).",
        "en": "\"{field}\" must be a date or a date and time in ISO 8601, Oslo time "
              "(2024-11-20 or 2024-11-20T14:30).",
    },
    "api_bad_date": {"nb": "«{name}» må være en dato (ÅÅÅÅ-MM-DD).",
                     "en": "\"{name}\" must be a date (YYYY-MM-DD)."},
    "api_bad_number": {"nb": "«{name}» må være et helt tall fra {low} til {high}.",
                       "en": "\"{name}\" must be a whole number from {low} to {high}."},
    "api_bad_flag": {"nb": "«{name}» må være true eller false.",
                     "en": "\"{name}\" must be true or false."},
    "api_unknown_parameters": {"nb": "Ukjente parametere: {names}.",
                               "en": "Unknown parameters: {names}."},
    # --- end deviations api ---
    # --- deviations cases ---
    "dist_kind_deviation-answer": {"nb": "svar på avvik", "en": "deviation answer"},
    "devcase_list_title": {"nb": "Samhandlingsavvik", "en": "Collaboration deviations"},
    "devcase_not_found_title": {"nb": "Fant ikke avviket", "en": "Deviation not found"},
    "devcase_filters": {"nb": "Filter", "en": "Filters"},
    "devcase_from": {"nb": "Hendt fra (dd.mm.åååå)", "en": "Occurred from (yyyy-mm-dd)"},
    "devcase_to": {"nb": "Hendt til (dd.mm.åååå)", "en": "Occurred to (yyyy-mm-dd)"},
    "devcase_organisation": {"nb": "Organisasjon", "en": "Organisation"},
    "devcase_overdue_only": {"nb": "Bare forsinkede", "en": "Overdue only"},
    "devcase_text": {"nb": "Fritekst", "en": "Free text"},
    "devcase_all": {"nb": "Alle", "en": "All"},
    "devcase_show": {"nb": "Vis", "en": "Show"},
    "devcase_reset": {"nb": "Nullstill", "en": "Reset"},
    "devcase_report_link": {"nb": "Meld avvik", "en": "Report a deviation"},
    "devcase_guide_link": {"nb": "Veileder: slik melder du avvik",
                           "en": "Guide: how to report a deviation"},
    "devcase_col_id": {"nb": "Avvik", "en": "Deviation"},
    "devcase_col_reported": {"nb": "Meldt", "en": "Reported"},
    "devcase_col_occurred": {"nb": "Hendt", "en": "Occurred"},
    "devcase_col_orgs": {"nb": "Fra → til", "en": "From → to"},
    "devcase_col_category": {"nb": "Kategori", "en": "Category"},
    "devcase_col_severity": {"nb": "Alvorlighetsgrad", "en": "Severity"},
    "devcase_col_status": {"nb": "Status", "en": "Status"},
    "devcase_col_overdue": {"nb": "Frist", "en": "Deadline"},
    "devcase_col_summary": {"nb": "Sammendrag", "en": "Summary"},
    "devcase_overdue_acknowledge": {"nb": "Kvittering forsinket",
                                    "en": "Acknowledgement overdue"},
    "devcase_overdue_answer": {"nb": "Svar forsinket", "en": "Answer overdue"},
    "devcase_in_time": {"nb": "I rute", "en": "On time"},
    "devcase_notifiable_mark": {"nb": "Mulig meldeplikt", "en": "Possibly notifiable"},
    "devcase_count": {"nb": "Viser {first}–{last} av {total} avvik.",
                      "en": "Showing {first}–{last} of {total} deviations."},
    "devcase_none": {"nb": "Ingen avvik passer filteret.",
                     "en": "No deviations match the filters."},
    "devcase_no_org": {
        "nb": "Brukeren din handler ikke for noen organisasjon, så det er ingen avvik å vise.",
        "en": "Your user acts for no organisation, so there are no deviations to show."},
    "devcase_prev": {"nb": "Forrige side", "en": "Previous page"},
    "devcase_next": {"nb": "Neste side", "en": "Next page"},
    "devcase_paging": {"nb": "Sider", "en": "Pages"},
    "devcase_bad_date": {
        "nb": "Ugyldig dato «{value}» i «{field}»: skriv dd.mm.åååå eller åååå-mm-dd.",
        "en": "Invalid date \"{value}\" in \"{field}\": write yyyy-mm-dd or dd.mm.yyyy."},
    "devcase_bad_period": {
        "nb": "Fra-datoen {start} er etter til-datoen {end}.",
        "en": "The from date {start} is after the to date {end}."},
    "devcase_bad_org": {"nb": "Ukjent organisasjon «{value}».",
                        "en": "Unknown organisation \"{value}\"."},
    "devcase_bad_number": {
        "nb": "Ugyldig verdi «{value}» for «{field}»: et helt tall fra {low} til {high}.",
        "en": "Invalid value \"{value}\" for \"{field}\": a whole number from {low} to {high}."},
    "devcase_text_too_long": {
        "nb": "{field} er for lang ({length} tegn; høyst {max}).",
        "en": "{field} is too long ({length} characters; at most {max})."},
    "devcase_bad_version": {
        "nb": "Skjemaet mangler versjonen av avviket: last siden på nytt.",
        "en": "The form lacks the deviation's version: reload the page."},
    "devcase_f_reporter": {"nb": "Meldt av", "en": "Reported by"},
    "devcase_f_receivers": {"nb": "Mottakere", "en": "Receivers"},
    "devcase_f_reported_by": {"nb": "Meldt av (person)", "en": "Reported by (person)"},
    "devcase_f_occurred": {"nb": "Hendt", "en": "Occurred"},
    "devcase_f_reported": {"nb": "Meldt", "en": "Reported"},
    "devcase_f_subcategory": {"nb": "Underkategori", "en": "Subcategory"},
    "devcase_f_level": {"nb": "Nivå", "en": "Level"},
    "devcase_f_clause": {"nb": "Punkt i samarbeidsavtalen",
                         "en": "Clause of the collaboration agreement"},
    "devcase_f_patient_ref": {"nb": "Pasientreferanse (pseudonym)",
                              "en": "Patient reference (pseudonymous)"},
    "devcase_f_place": {"nb": "Sted/enhet", "en": "Place/unit"},
    "devcase_f_description": {"nb": "Beskrivelse", "en": "Description"},
    "devcase_f_immediate": {"nb": "Strakstiltak", "en": "Immediate action"},
    "devcase_f_anonymous": {"nb": "Anonym for mottaker", "en": "Anonymous to the receiver"},
    "devcase_f_version": {"nb": "Versjon", "en": "Version"},
    "devcase_f_source": {"nb": "Importert fra", "en": "Imported from"},
    "devcase_yes": {"nb": "Ja", "en": "Yes"},
    "devcase_no": {"nb": "Nei", "en": "No"},
    "devcase_hidden": {"nb": "skjult", "en": "hidden"},
    "devcase_deadlines": {"nb": "Frister", "en": "Deadlines"},
    "devcase_ack_due": {"nb": "Kvittering (mottatt) innen", "en": "Acknowledge (received) by"},
    "devcase_answer_due": {"nb": "Skriftlig svar innen", "en": "Written answer by"},
    "devcase_answer_not_required": {
        "nb": "Ikke påkrevd (under moderat skade)", "en": "Not required (below moderate harm)"},
    "devcase_close_due": {"nb": "Lukkes automatisk", "en": "Closes automatically"},
    "devcase_overdue_word": {"nb": "forsinket", "en": "overdue"},
    "devcase_done_word": {"nb": "utført", "en": "done"},
    "devcase_history": {"nb": "Historikk", "en": "History"},
    "devcase_h_when": {"nb": "Når", "en": "When"},
    "devcase_h_who": {"nb": "Hvem", "en": "Who"},
    "devcase_h_org": {"nb": "Organisasjon", "en": "Organisation"},
    "devcase_h_step": {"nb": "Fra → til", "en": "From → to"},
    "devcase_h_text": {"nb": "Kommentar, svar, begrunnelse", "en": "Comment, answer, reason"},
    "devcase_h_new": {"nb": "ny", "en": "new"},
    "devcase_anonymous_person": {"nb": "anonym", "en": "anonymous"},
    "devcase_system": {"nb": "Flyt (automatisk)", "en": "Flyt (automatic)"},
    "devcase_comment": {"nb": "Kommentar", "en": "Comment"},
    "devcase_answer": {"nb": "Svar", "en": "Answer"},
    "devcase_reason": {"nb": "Begrunnelse", "en": "Reason"},
    "devcase_notify_title": {"nb": "Mulig meldeplikt og hendelsesanalyse",
                             "en": "Possible notification duty and incident analysis"},
    "devcase_notify_text": {
        "nb": "Avviket er meldt som {severity}. Det er kandidat for varsel til Statens "
              "helsetilsyn (meldeplikt) og for en hendelsesanalyse etter "
              "Helsedirektoratets metode (IS-0583).",
        "en": "The deviation is reported as {severity}. It is a candidate for notifying "
              "the Norwegian Board of Health Supervision (Statens helsetilsyn) and for an "
              "incident analysis by the Directorate of Health's method (IS-0583)."},
    "devcase_analysis_link": {"nb": "Hendelsesanalyse", "en": "Incident analysis"},
    "devcase_actions": {"nb": "Behandle avviket", "en": "Handle the deviation"},
    "devcase_no_actions": {"nb": "Ingen steg er ditt å ta nå.",
                           "en": "No step is yours to take now."},
    "devcase_action_mottatt": {"nb": "Kvitter mottatt", "en": "Acknowledge"},
    "devcase_action_under_behandling": {"nb": "Start behandling", "en": "Start handling"},
    "devcase_action_besvart": {"nb": "Send svar", "en": "Send answer"},
    "devcase_action_lukket": {"nb": "Lukk avviket", "en": "Close the deviation"},
    "devcase_action_avvist": {"nb": "Avvis", "en": "Reject"},
    "devcase_action_gjenapnet": {"nb": "Gjenåpne", "en": "Reopen"},
    "devcase_stale": {
        "nb": "Noen andre endret avviket i mellomtiden. Under ser du den nye versjonen; "
              "teksten din er tatt vare på i skjemaet nedenfor. Sjekk og send på nytt.",
        "en": "Someone changed the deviation meanwhile. Below is the new version; your "
              "text is kept in the form below. Check it and send again."},
    "devcase_your_text": {"nb": "Teksten du skrev (ikke lagret)",
                          "en": "The text you wrote (not saved)"},
    "devcase_mail_sent": {"nb": "Svaret ble sendt på e-post til melderen ({recipients}).",
                          "en": "The answer was e-mailed to the reporter ({recipients})."},
    "devcase_mail_failed": {
        "nb": "Svaret er lagret, men e-posten til melderen kunne ikke sendes: {error}",
        "en": "The answer is saved, but the e-mail to the reporter could not be sent: "
              "{error}"},
    "devcase_mail_subject": {"nb": "Svar på avvik {id}", "en": "Answer to deviation {id}"},
    "devcase_mail_body": {
        "nb": "Avviket {id} som dere meldte {reported}, er besvart.\n\n"
              "Sammendrag: {summary}\n\nSvar:\n{answer}\n\n"
              "Se avviket og lukk eller gjenåpne det her: {link}",
        "en": "Deviation {id}, reported by you on {reported}, has been answered.\n\n"
              "Summary: {summary}\n\nAnswer:\n{answer}\n\n"
              "See the deviation, and close or reopen it, here: {link}"},
    "devcase_not_a_party": {
        "nb": "Du kan lese avvik {id}, men bare melderen og mottakerne kan endre status.",
        "en": "You can read deviation {id}, but only its reporter and receivers can change "
              "its status."},
    "devcase_back": {"nb": "Tilbake til avvikslisten", "en": "Back to the deviations"},
    "devcase_new_learning": {"nb": "Nytt læringspunkt fra dette avviket",
                             "en": "New learning point from this deviation"},
    "devcase_learning_all": {"nb": "Alle læringspunkter", "en": "All learning points"},
    "devcase_annual_link": {"nb": "Årsrapport", "en": "Annual report"},
    # --- end deviations cases ---
    # --- deviations attachments ---
    "action_deviation.attachment": {"nb": "avviksvedlegg (alle)",
                                    "en": "deviation attachments (all)"},
    "action_deviation.attachment.add": {"nb": "avviksvedlegg lagt ved",
                                        "en": "deviation attachment added"},
    "action_deviation.attachment.read": {"nb": "avviksvedlegg lastet ned",
                                         "en": "deviation attachment downloaded"},
    "action_deviation.attachment.read.refused": {"nb": "avviksvedlegg nektet lastet ned",
                                                 "en": "deviation attachment refused"},
    "action_deviation.attachment.remove": {"nb": "avviksvedlegg fjernet",
                                           "en": "deviation attachment removed"},
    "dev_att_too_large": {
        "nb": "Filen er for stor: grensen er {limit} per fil. Ingenting er lagret.",
        "en": "The file is too large: the limit is {limit} a file. Nothing was stored.",
    },
    "dev_att_too_many": {
        "nb": "Avviket har allerede {limit} vedlegg, det høyeste antallet. Ingenting er lagret.",
        "en": "The deviation already has {limit} attachments, the most it may have. "
              "Nothing was stored.",
    },
    "dev_att_empty": {"nb": "Filen er tom. Ingenting er lagret.",
                      "en": "The file is empty. Nothing was stored."},
    "dev_att_type": {
        "nb": "Bare PDF, PNG og JPEG kan legges ved, og filens innhold er ingen av dem "
              "(eller filen er skadet). Ingenting er lagret.",
        "en": "Only PDF, PNG and JPEG files can be attached, and this file's content is "
              "none of them (or the file is damaged). Nothing was stored.",
    },
    "dev_att_missing": {"nb": "Velg en fil å legge ved.", "en": "Choose a file to attach."},
    "dev_att_not_found": {"nb": "Fant ikke vedlegget til avviket {id}.",
                          "en": "Attachment of deviation {id} not found."},
    "dev_att_not_own_side": {
        "nb": "Bare organisasjonen som la ved filen, kan fjerne den.",
        "en": "Only the organisation that attached the file can remove it.",
    },
    "att_refused": {"nb": "Vedlegget ble ikke tatt imot", "en": "The attachment was refused"},
    "att_back": {"nb": "Tilbake til avviket", "en": "Back to the deviation"},
    "att_to_list": {"nb": "Til avvikslisten", "en": "To the list of deviations"},
    "att_heading": {"nb": "Vedlegg", "en": "Attachments"},
    "att_hidden": {
        "nb": "Vedlegg kan inneholde pasientopplysninger og vises ikke for "
              "forbedringsgruppen.",
        "en": "Attachments may hold patient data and are not shown to the improvement "
              "group.",
    },
    "att_none": {"nb": "Ingen vedlegg.", "en": "No attachments."},
    "att_file": {"nb": "Fil (PDF, PNG eller JPEG)", "en": "File (PDF, PNG or JPEG)"},
    "att_hint": {
        "nb": "Høyst {limit} per fil og {count} filer per avvik. Filtypen avgjøres av "
              "innholdet, ikke av navnet.",
        "en": "At most {limit} a file and {count} files a deviation. The type is decided "
              "by the content, not the name.",
    },
    "att_add": {"nb": "Legg ved", "en": "Attach"},
    "att_full": {"nb": "Avviket har {count} vedlegg, det høyeste antallet.",
                 "en": "The deviation has {count} attachments, the most it may have."},
    "att_configuration": {
        "nb": "Vedlegg kan ikke tas imot eller hentes nå: innstillingene for vedlegg i "
              "konfigurasjonsfilen er feil ({why}). Si fra til en administrator.",
        "en": "Attachments cannot be taken in or fetched now: the attachment settings of "
              "the configuration file are wrong ({why}). Tell an administrator.",
    },
    # --- end deviations attachments ---
    # --- plan ---
    "plan_vision_empty": {"nb": "Visjonen er tom.", "en": "The vision is empty."},
    "plan_too_long": {"nb": "{field} er lengre enn {limit} tegn.",
                      "en": "{field} is longer than {limit} characters."},
    "plan_duplicate_id": {"nb": "Id-en {id} er brukt før i planen.",
                          "en": "The id {id} is used earlier in the plan."},
    "plan_bad_kind": {"nb": "Ukjent type «{value}»; bruk ressurs, aktivitet, utfall, resultat "
                            "eller effekt.",
                      "en": "Unknown kind '{value}'; use ressurs, aktivitet, utfall, resultat "
                            "or effekt."},
    "plan_empty": {"nb": "{field} mangler.", "en": "{field} is missing."},
    "plan_bad_kpi": {"nb": "KPI «{value}» finnes ikke; bruk et tall fra 1 til 6.",
                     "en": "KPI '{value}' does not exist; use a number from 1 to 6."},
    "plan_kpi_not_effect": {"nb": "{id} er ikke en effekt: bare effekter kan knyttes til en KPI.",
                            "en": "{id} is not an effect: only effects can be tied to a KPI."},
    "plan_unknown_link": {"nb": "Lenken peker på {id}, som ikke finnes i forandringsteorien.",
                          "en": "The link points to {id}, which is not in the Theory of Change."},
    "plan_link_backwards": {
        "nb": "Lenken til {id} går bakover: lenker går fra ressurser mot aktiviteter, utfall, "
              "resultater og effekter.",
        "en": "The link to {id} points backwards: links run from resources to activities, "
              "outcomes, results and effects."},
    "plan_duplicate_link": {"nb": "Samme lenke står to ganger.",
                            "en": "The same link is given twice."},
    "plan_bad_id": {"nb": "Id-en må være høyst {limit} tegn, uten semikolon, linjeskift eller "
                          "mellomrom i endene.",
                    "en": "An id must be at most {limit} characters, without semicolons, line "
                          "breaks or spaces at its ends."},
    "plan_end_before_start": {"nb": "Sluttdatoen er før startdatoen.",
                              "en": "The end date is before the start date."},
    "plan_bad_value": {"nb": "«{value}» er ikke tillatt; bruk {allowed}.",
                       "en": "'{value}' is not allowed; use {allowed}."},
    "plan_invalid": {"nb": "Planen har {count} feil; den første: {first}",
                     "en": "The plan has {count} problems; the first: {first}"},
    "plan_item_not_found": {"nb": "Tiltaket eller aktiviteten {id} finnes ikke.",
                            "en": "The measure or activity {id} does not exist."},
    "plan_stale": {"nb": "{id} er endret av en annen siden du åpnet den; last inn på nytt og "
                         "gjør endringen igjen.",
                   "en": "{id} was changed by someone else since you opened it; reload and "
                         "make your change again."},
    "plan_bad_cell": {"nb": "{place}, rad {row}, kolonne {column}: {reason}",
                      "en": "{place}, row {row}, column {column}: {reason}"},
    "plan_bad_field": {"nb": "{place}, felt {column}: {reason}",
                       "en": "{place}, field {column}: {reason}"},
    "plan_bad_date": {"nb": "«{value}» er ikke en dato; skriv dd.mm.åååå.",
                      "en": "'{value}' is not a date; write dd.mm.yyyy."},
    "plan_bad_ids": {"nb": "Lenkene må være en liste med id-er.",
                     "en": "The links must be a list of ids."},
    "plan_bad_type": {"nb": "Verdien må være tekst.", "en": "The value must be text."},
    "plan_json_shape": {
        "nb": "Dette er ikke planens JSON: ventet et objekt med vision, elements og measures.",
        "en": "This is not the plan's JSON: expected an object with vision, elements and "
              "measures."},
    "plan_too_many_rows": {"nb": "Filen har mer enn {limit} rader; en plan er ikke så stor.",
                           "en": "The file has more than {limit} rows; a plan is not that "
                                 "big."},
    "plan_missing_sheet": {"nb": "Arbeidsboken mangler arket «{sheet}».",
                           "en": "The workbook has no sheet '{sheet}'."},
    "plan_missing_column": {"nb": "Arket «{sheet}» mangler kolonnen «{column}».",
                            "en": "The sheet '{sheet}' has no column '{column}'."},
    "plan_unknown_parent": {"nb": "Aktiviteten hører til tiltaket «{id}», som ikke finnes i "
                                  "arket.",
                            "en": "The activity belongs to the measure '{id}', which is not in "
                                  "the sheet."},
    "plan_column_not_used": {"nb": "Kolonnen {column} brukes ikke på denne typen rad; la den "
                                   "stå tom.",
                             "en": "The column {column} is not used on this type of row; leave "
                                   "it empty."},
    "plan_file_too_big": {"nb": "Filen er større enn {limit} MB; en plan er ikke så stor.",
                          "en": "The file is larger than {limit} MB; a plan is not that big."},
    "plan_not_a_plan_file": {"nb": "Filen er verken XLSX eller planens JSON.",
                             "en": "The file is neither XLSX nor the plan's JSON."},
    "plan_rejected": {"nb": "{file}: ingenting er lagret; {count} feil er listet over.",
                      "en": "{file}: nothing was stored; {count} problems are listed above."},
    "plan_imported": {"nb": "{file}: planen er erstattet ({elements} elementer i "
                            "forandringsteorien, {measures} tiltak, {activities} aktiviteter).",
                      "en": "{file}: the plan was replaced ({elements} Theory of Change "
                            "elements, {measures} measures, {activities} activities)."},
    "plan_status_green": {"nb": "grønn", "en": "green"},
    "plan_status_yellow": {"nb": "gul", "en": "yellow"},
    "plan_status_red": {"nb": "rød", "en": "red"},
    "plan_status_none": {"nb": "ingen status", "en": "no status"},
    "plan_vision": {"nb": "Visjon", "en": "Vision"},
    "plan_at": {"nb": "Status per {day}", "en": "Status at {day}"},
    "plan_kind_ressurs": {"nb": "Ressurser", "en": "Resources"},
    "plan_kind_aktivitet": {"nb": "Aktiviteter", "en": "Activities"},
    "plan_kind_utfall": {"nb": "Utfall", "en": "Outcomes"},
    "plan_kind_resultat": {"nb": "Resultater", "en": "Results"},
    "plan_kind_effekt": {"nb": "Effekter", "en": "Effects"},
    "plan_measures": {"nb": "Tiltak", "en": "Measures"},
    "plan_done": {"nb": "utført", "en": "done"},
    # --- end plan ---
    # --- plan report ---
    "dist_kind_plan-notice": {"nb": "varsel om tiltaksplanen", "en": "action plan notice"},
    "planmail_subject": {"nb": "Tiltaksplanen: «{name}» er {status}",
                         "en": "Action plan: '{name}' is {status}"},
    "planmail_body": {
        "nb": "Aktiviteten «{name}» i tiltaket «{measure}» er {status} per {day} (var "
              "{before}).\n\nAnsvarlig: {owner}\nSluttdato: {end}\nHvorfor: {why}\n\n"
              "Du får denne e-posten fordi du står som ansvarlig i tiltaksplanen. Oppdater "
              "status eller kommentar i Flyt, eller marker aktiviteten som utført.",
        "en": "The activity '{name}' of the measure '{measure}' is {status} as of {day} (was "
              "{before}).\n\nResponsible: {owner}\nEnd date: {end}\nWhy: {why}\n\n"
              "You get this e-mail because you are responsible in the action plan. Update "
              "the status or the comment in Flyt, or mark the activity as done."},
    "planmail_why_late": {"nb": "ikke utført {days} dager etter sluttdatoen {end}.",
                          "en": "not done {days} days after its end date {end}."},
    "planmail_why_set": {"nb": "statusen er satt slik i planen.",
                         "en": "the status was set so in the plan."},
    "planmail_link": {"nb": "Åpne aktiviteten: {link}", "en": "Open the activity: {link}"},
    "planmail_footer": {"nb": "Denne e-posten er sendt automatisk av Flyt, én gang per "
                              "endring av status.",
                        "en": "This e-mail was sent automatically by Flyt, once per change "
                              "of status."},
    "planmail_recorded_first": {
        "nb": "{count} aktiviteter sett for første gang: statusen er notert uten e-post.",
        "en": "{count} activities seen for the first time: their status was noted without "
              "an e-mail."},
    "planmail_would_record_first": {
        "nb": "{count} aktiviteter sett for første gang: statusen ville blitt notert uten "
              "e-post.",
        "en": "{count} activities seen for the first time: their status would be noted "
              "without an e-mail."},
    "planmail_no_address": {
        "nb": "Ingen adresse for ansvarlig «{owner}» under [plan.contacts]: {id} «{name}» "
              "er {status}, ikke sendt.",
        "en": "No address for the owner '{owner}' under [plan.contacts]: {id} '{name}' is "
              "{status}, not sent."},
    "planmail_would_send": {"nb": "Ville sendt: {id} «{name}» er {status}, til {owner} "
                                  "({count} mottakere).",
                            "en": "Would send: {id} '{name}' is {status}, to {owner} "
                                  "({count} recipients)."},
    "planmail_sent": {"nb": "Sendt: {id} «{name}» er {status}, til {owner} ({count} "
                            "mottakere).",
                      "en": "Sent: {id} '{name}' is {status}, to {owner} ({count} "
                            "recipients)."},
    "planmail_failed": {"nb": "Kunne ikke sende om {id} «{name}» (forsøk {attempt}): {error}",
                        "en": "Could not send about {id} '{name}' (attempt {attempt}): "
                              "{error}"},
    "planmail_nothing": {"nb": "Ingen aktivitet har endret status.",
                         "en": "No activity has changed status."},
    "planrep_title": {"nb": "Tiltaksplan – statusrapport", "en": "Action plan – status report"},
    "planrep_meta": {"nb": "Status per {at} · endringer siden {since} · laget {made}",
                     "en": "Status at {at} · changes since {since} · made {made}"},
    "planrep_summary": {"nb": "Status og lesehjelp", "en": "Status and reading guide"},
    "planrep_count": {"nb": "Tiltak og aktiviteter", "en": "Measures and activities"},
    "planrep_summary_note": {
        "nb": "Status etter reglene: en aktivitet som ikke er utført blir gul dagen etter "
              "sluttdatoen og rød når den er mer enn {days} dager over (eller satt slik); et "
              "tiltak har den verste statusen av sin egen og aktivitetenes.",
        "en": "Status by the rules: an activity not done turns yellow the day after its end "
              "date and red when more than {days} days past it (or when set so); a measure has "
              "the worst of its own status and its activities'."},
    "planrep_guide_green": {"nb": "Ingen avvik.", "en": "No deviations."},
    "planrep_guide_yellow": {"nb": "Mindre avvik, men håndteres.",
                             "en": "Minor deviations, but being handled."},
    "planrep_guide_red": {"nb": "Kritiske avvik, når ikke målsetning.",
                          "en": "Critical deviations, the target is not reached."},
    "planrep_effects": {"nb": "Effekter: KPI-status og utvikling",
                        "en": "Effects: KPI status and trend"},
    "planrep_trend_note": {
        "nb": "Effektens status er målstatusen for {month} med data per {cutoff} (som "
              "«flyt goals»); tallene er KPI-motorens (som «flyt kpi») for målets gruppe.",
        "en": "An effect's status is the goal status for {month} with data as of {cutoff} "
              "(as 'flyt goals'); the figures are the KPI engine's (as 'flyt kpi') for the "
              "goal's group."},
    "planrep_no_goal": {"nb": "Ingen mål er satt opp for denne KPI-en.",
                        "en": "No goal is configured for this KPI."},
    "planrep_changes": {"nb": "Siden sist", "en": "Since the last meeting"},
    "planrep_history": {"nb": "Endringer av status og kommentar",
                        "en": "Changes of status and comment"},
    "planrep_no_changes": {"nb": "Ingen endringer av status eller kommentar siden {since}.",
                           "en": "No changes of status or comment since {since}."},
    "planrep_moved": {"nb": "Endret status etter reglene", "en": "Status changed by the rules"},
    "planrep_none_moved": {"nb": "Ingen tiltak eller aktivitet har endret status.",
                           "en": "No measure or activity has changed status."},
    "planrep_late": {"nb": "Forsinket", "en": "Late"},
    "planrep_none_late": {"nb": "Ingenting er forsinket.", "en": "Nothing is late."},
    "planrep_red": {"nb": "Rødt", "en": "Red"},
    "planrep_none_red": {"nb": "Ingenting er rødt.", "en": "Nothing is red."},
    "planrep_red_effect": {"nb": "KPI-målet er rødt.", "en": "The KPI goal is red."},
    "planrep_measures": {"nb": "Tiltak og aktiviteter", "en": "Measures and activities"},
    "planrep_measures_note": {
        "nb": "Status: etter reglene per rapportdatoen. Satt status: slik den er satt i "
              "planen.",
        "en": "Status: by the rules at the report's date. Set status: as set in the plan."},
    "planrep_command_line": {"nb": "kommandolinjen", "en": "the command line"},
    "planrep_removed": {"nb": "(fjernet fra planen)", "en": "(removed from the plan)"},
    "planrep_type_measure": {"nb": "tiltak", "en": "measure"},
    "planrep_type_activity": {"nb": "aktivitet", "en": "activity"},
    "planrep_field_status": {"nb": "status", "en": "status"},
    "planrep_field_comment": {"nb": "kommentar", "en": "comment"},
    "planrep_priority_hoy": {"nb": "Høy", "en": "High"},
    "planrep_priority_middel": {"nb": "Middel", "en": "Medium"},
    "planrep_priority_lav": {"nb": "Lav", "en": "Low"},
    "planrep_scope_stort": {"nb": "Stort", "en": "Large"},
    "planrep_scope_middels": {"nb": "Middels", "en": "Medium"},
    "planrep_scope_lite": {"nb": "Lite", "en": "Small"},
    "planrep_yes": {"nb": "ja", "en": "yes"},
    "planrep_no": {"nb": "nei", "en": "no"},
    "planrep_sheet_effects": {"nb": "effekter", "en": "effects"},
    "planrep_sheet_measures": {"nb": "tiltak", "en": "measures"},
    "planrep_sheet_changes": {"nb": "endringer", "en": "changes"},
    "planrep_sheet_moved": {"nb": "endret status", "en": "status changed"},
    "planrep_sheet_late": {"nb": "forsinket", "en": "late"},
    "planrep_col_id": {"nb": "Id", "en": "Id"},
    "planrep_col_effect": {"nb": "Effekt", "en": "Effect"},
    "planrep_col_goal": {"nb": "Målets gruppe", "en": "The goal's group"},
    "planrep_col_month_status": {"nb": "Status måneden", "en": "Status of the month"},
    "planrep_col_type": {"nb": "Type", "en": "Type"},
    "planrep_col_measure": {"nb": "Tiltak", "en": "Measure"},
    "planrep_col_name": {"nb": "Navn", "en": "Name"},
    "planrep_col_responsible": {"nb": "Ansvarlig", "en": "Responsible"},
    "planrep_col_start": {"nb": "Start", "en": "Start"},
    "planrep_col_end": {"nb": "Slutt", "en": "End"},
    "planrep_col_period": {"nb": "Periode", "en": "Period"},
    "planrep_col_priority": {"nb": "Prioritet", "en": "Priority"},
    "planrep_col_scope": {"nb": "Omfang", "en": "Scope"},
    "planrep_col_done": {"nb": "Utført", "en": "Done"},
    "planrep_col_status": {"nb": "Status", "en": "Status"},
    "planrep_col_set_status": {"nb": "Satt status", "en": "Set status"},
    "planrep_col_comment": {"nb": "Kommentar", "en": "Comment"},
    "planrep_col_when": {"nb": "Når", "en": "When"},
    "planrep_col_who": {"nb": "Hvem", "en": "Who"},
    "planrep_col_field": {"nb": "Felt", "en": "Field"},
    "planrep_col_from": {"nb": "Fra", "en": "From"},
    "planrep_col_to": {"nb": "Til", "en": "To"},
    "planrep_col_then": {"nb": "Status {day}", "en": "Status {day}"},
    "planrep_col_now": {"nb": "Status {day}", "en": "Status {day}"},
    "planrep_col_days_late": {"nb": "Dager over", "en": "Days over"},
    "planrep_since_after_at": {"nb": "--since ({since}) er etter --at ({at}).",
                               "en": "--since ({since}) is after --at ({at})."},
    "planrep_wrote": {"nb": "Skrev {path} ({size} byte).", "en": "Wrote {path} ({size} bytes)."},
    # --- end plan report ---
    # --- plan pages ---
    "plan_pages_kpi": {"nb": "KPI {n}", "en": "KPI {n}"},
    "plan_pages_toc_title": {"nb": "Forandringsteori", "en": "Theory of Change"},
    "plan_pages_toc_desc": {
        "nb": "Visjonen «{vision}» øverst, under den fem kolonner fra venstre mot høyre: "
              "ressurser, aktiviteter, utfall, resultater og effekter. Pilene viser hva som "
              "fører til hva; effekter med en KPI viser status i ord. Det samme innholdet "
              "står som lister under figuren.",
        "en": "The vision «{vision}» on top, below it five columns from left to right: "
              "resources, activities, outcomes, results and effects. The arrows show what "
              "leads to what; effects with a KPI show their status in words. The same "
              "content is listed below the figure.",
    },
    "plan_nav": {"nb": "Tiltaksplan", "en": "Action plan"},
    "plan_pages_views": {"nb": "Visninger av tiltaksplanen", "en": "Views of the action plan"},
    "plan_pages_table_title": {"nb": "Tiltaksplan", "en": "Action plan"},
    "plan_pages_timeline_title": {"nb": "Tidslinje", "en": "Timeline"},
    "plan_pages_item_title": {"nb": "Tiltak og aktivitet", "en": "Measure and activity"},
    "plan_pages_error_title": {"nb": "Tiltaksplan: feil", "en": "Action plan: error"},
    "plan_pages_back": {"nb": "Tilbake til tiltaksplanen", "en": "Back to the action plan"},
    "plan_pages_toc_caption": {
        "nb": "Figuren kan rulles sidelengs på smale skjermer. Innholdet står også som lister.",
        "en": "The figure scrolls sideways on narrow screens. The content is also listed."},
    "plan_pages_outline": {
        "nb": "Forandringsteorien som lister",
        "en": "The Theory of Change as lists"},
    "plan_pages_leads_to": {"nb": "fører til:", "en": "leads to:"},
    "plan_pages_filters": {"nb": "Filter", "en": "Filters"},
    "plan_pages_all": {"nb": "alle", "en": "all"},
    "plan_pages_late_only": {"nb": "bare forsinkede", "en": "late only"},
    "plan_pages_at": {"nb": "Dato", "en": "Date"},
    "plan_pages_show": {"nb": "Vis", "en": "Show"},
    "plan_pages_reset": {"nb": "Nullstill", "en": "Reset"},
    "plan_pages_none": {
        "nb": "Ingen tiltak eller aktiviteter passer filteret.",
        "en": "No measure or activity matches the filters."},
    "plan_pages_period": {"nb": "Periode", "en": "Period"},
    "plan_pages_f_name": {"nb": "Navn", "en": "Name"},
    "plan_pages_f_description": {"nb": "Beskrivelse", "en": "Description"},
    "plan_pages_f_start": {"nb": "Start", "en": "Start"},
    "plan_pages_f_end": {"nb": "Slutt", "en": "End"},
    "plan_pages_f_priority": {"nb": "Prioritet", "en": "Priority"},
    "plan_pages_f_scope": {"nb": "Omfang", "en": "Scope"},
    "plan_pages_f_responsible": {"nb": "Ansvarlig", "en": "Responsible"},
    "plan_pages_f_done": {"nb": "Utført", "en": "Done"},
    "plan_pages_f_status": {"nb": "Satt status", "en": "Set status"},
    "plan_pages_f_computed": {"nb": "Status", "en": "Status"},
    "plan_pages_f_comment": {"nb": "Kommentar", "en": "Comment"},
    "plan_pages_priority_hoy": {"nb": "høy", "en": "high"},
    "plan_pages_priority_middel": {"nb": "middels", "en": "medium"},
    "plan_pages_priority_lav": {"nb": "lav", "en": "low"},
    "plan_pages_scope_stort": {"nb": "stort", "en": "large"},
    "plan_pages_scope_middels": {"nb": "middels", "en": "medium"},
    "plan_pages_scope_lite": {"nb": "lite", "en": "small"},
    "plan_pages_late": {"nb": "forsinket", "en": "late"},
    "plan_pages_measure": {"nb": "Tiltak", "en": "Measure"},
    "plan_pages_activity": {"nb": "Aktivitet", "en": "Activity"},
    "plan_pages_activities": {"nb": "Aktiviteter", "en": "Activities"},
    "plan_pages_part_of": {"nb": "Del av tiltaket", "en": "Part of the measure"},
    "plan_pages_today": {"nb": "I dag", "en": "Today"},
    "plan_pages_today_line": {
        "nb": "Den loddrette streken er {day}.",
        "en": "The vertical line is {day}."},
    "plan_pages_no_dated": {
        "nb": "Ingen tiltak eller aktiviteter har både start- og sluttdato ennå.",
        "en": "No measure or activity has both a start and an end date yet."},
    "plan_pages_undated": {"nb": "Uten datoer", "en": "Without dates"},
    "plan_pages_yes": {"nb": "ja", "en": "yes"},
    "plan_pages_no": {"nb": "nei", "en": "no"},
    "plan_pages_edit": {"nb": "Endre", "en": "Change"},
    "plan_pages_date_hint": {"nb": "dd.mm.åååå", "en": "dd.mm.yyyy"},
    "plan_pages_save": {"nb": "Lagre", "en": "Save"},
    "plan_pages_stored_now": {"nb": "Lagret nå:", "en": "Stored now:"},
    "plan_pages_history": {"nb": "Historikk", "en": "History"},
    "plan_pages_no_history": {
        "nb": "Ingen endringer av status eller kommentar ennå.",
        "en": "No change of status or comment yet."},
    "plan_pages_h_when": {"nb": "Når", "en": "When"},
    "plan_pages_h_who": {"nb": "Hvem", "en": "Who"},
    "plan_pages_h_field": {"nb": "Felt", "en": "Field"},
    "plan_pages_h_from": {"nb": "Fra", "en": "From"},
    "plan_pages_h_to": {"nb": "Til", "en": "To"},
    "action_plan": {"nb": "tiltaksplanen (alle)", "en": "action plan (all)"},
    "action_plan.change": {"nb": "tiltak/aktivitet i tiltaksplanen endret",
                           "en": "action plan item changed"},
    "plan_pages_stale": {
        "nb": "Noen andre har lagret {id} etter at du åpnet skjemaet, så ingenting er lagret. "
              "Det du skrev står fortsatt i skjemaet, og «Lagret nå» viser hva som er lagret. "
              "Lagre igjen for å bruke dine verdier.",
        "en": "Someone else saved {id} after you opened the form, so nothing was saved. What "
              "you typed is still in the form, and «Stored now» shows what is stored. Save "
              "again to use your values."},
    # --- end plan pages ---
    # --- demo plan ---
    "demoplan_stored": {
        "nb": "Tiltaksplan: standardplanen fra sakspapirene har fått demoens perioder, "
              "framdrift og kommentarer (flyt plan show).",
        "en": "Action plan: the default plan from the seeds got the demo's periods, "
              "progress and comments (flyt plan show)."},
    "demoplan_kept": {
        "nb": "Tiltaksplan: den lagrede planen er endret fra standardplanen og beholdes "
              "som den er.",
        "en": "Action plan: the stored plan differs from the default plan and is kept as "
              "it is."},
    # --- end demo plan ---
    # --- capacity forecast ---
    "capacity_empty_store": {
        "nb": "Ingen UKP-historikk i databasen på dette tidspunktet: ingenting å varsle ut fra.",
        "en": "No UKP history in the store at this moment: nothing to forecast from."},
    "capacity_too_little_history": {
        "nb": "For kort historikk: {days} dager, prognosen trenger minst {needed}.",
        "en": "Too little history: {days} days, the forecast needs at least {needed}."},
    "capacity_bad_horizon": {
        "nb": "Horisonten må være 1–{most} dager, ikke {horizon}.",
        "en": "The horizon must be 1–{most} days, not {horizon}."},
    "capacity_backtest_too_short": {
        "nb": "For kort historikk til tilbaketesting: {days} dager; {origins} startpunkter "
              "med {horizon} dager fram og ett år bak trenger {needed}.",
        "en": "Too little history for the backtest: {days} days; {origins} origins with "
              "{horizon} days ahead and a year behind need {needed}."},
    "capacity_unit_skipped": {
        "nb": "Enheten {unit} har for kort telling av senger og er utelatt.",
        "en": "The unit {unit} has too short a bed count history and is left out."},
    "capacity_backtest_heading": {
        "nb": "Tilbaketesting av prognosen: {origins} startpunkter ({first}–{last}), "
              "{horizon} dager fram",
        "en": "Backtest of the forecast: {origins} origins ({first}–{last}), "
              "{horizon} days ahead"},
    "capacity_backtest_methods": {
        "nb": "MAE og MAPE: modellen / samme ukedag forrige uke / samme ukedag i fjor "
              "(52 uker); dekning: andel faktiske verdier i modellens 80 %-intervall.",
        "en": "MAE and MAPE: the model / same weekday last week / same weekday last year "
              "(52 weeks); coverage: share of actual values inside the model's 80 % "
              "interval."},
    "capacity_col_group": {"nb": "Gruppe", "en": "Group"},
    "capacity_col_days": {"nb": "Dager fram", "en": "Days ahead"},
    "capacity_col_mae": {"nb": "MAE", "en": "MAE"},
    "capacity_col_mape": {"nb": "MAPE", "en": "MAPE"},
    "capacity_col_coverage": {"nb": "Dekning 80 %", "en": "Coverage 80 %"},
    "capacity_group_community": {"nb": "Fellesskapet (UKP)", "en": "Community (UKP)"},
    "capacity_group_municipality": {"nb": "Kommuner (UKP)", "en": "Municipalities (UKP)"},
    "capacity_group_aftercare_unit": {"nb": "Etterbehandling (senger)",
                                      "en": "After-care units (beds)"},
    "capacity_group_short_term_unit": {"nb": "Korttid (senger)",
                                       "en": "Short-term units (beds)"},
    # --- end capacity forecast ---
    # --- capacity escalation ---
    "esc_level_1": {"nb": "normal", "en": "normal"},
    "esc_level_2": {"nb": "moderat press", "en": "moderate pressure"},
    "esc_level_3": {"nb": "høyt press", "en": "high pressure"},
    "esc_level_4": {"nb": "kritisk", "en": "critical"},
    "esc_ind_ukp_vs_normal": {"nb": "UKP-pasienter mot normalen",
                              "en": "UKP patients against the normal"},
    "esc_ind_aftercare_occupancy": {"nb": "Belegg etterbehandling",
                                    "en": "After-care occupancy"},
    "esc_ind_short_term_occupancy": {"nb": "Belegg korttid", "en": "Short-term occupancy"},
    "esc_ind_forecast_peak_7d": {"nb": "Prognosens topp neste 7 dager mot normalen",
                                 "en": "Forecast peak in the next 7 days against the normal"},
    "esc_col_group": {"nb": "Gruppe", "en": "Group"},
    "esc_col_level": {"nb": "Nivå", "en": "Level"},
    "esc_col_since": {"nb": "Siden", "en": "Since"},
    "esc_col_indicator": {"nb": "Indikator", "en": "Indicator"},
    "esc_col_value": {"nb": "Verdi", "en": "Value"},
    "esc_col_threshold": {"nb": "Terskel passert", "en": "Threshold passed"},
    "esc_col_indicator_level": {"nb": "Indikatorens nivå", "en": "Indicator level"},
    "esc_community": {"nb": "Helsefellesskapet", "en": "The community"},
    "esc_heading": {"nb": "Beredskapsnivå {at}", "en": "Escalation levels {at}"},
    "esc_missing": {"nb": "{group}: uten data for {names} (utelatt).",
                    "en": "{group}: no data for {names} (left out)."},
    "esc_group_left_out": {
        "nb": "{group}: ingen indikator har data, så gruppen har ikke noe nivå.",
        "en": "{group}: no indicator has data, so the group has no level."},
    "esc_nothing": {
        "nb": "Ingen gruppe har data til et beredskapsnivå på dette tidspunktet "
              "(verken UKP-historikk på minst 56 dager eller sengetellinger).",
        "en": "No group has data for an escalation level at this moment "
              "(neither 56 days of UKP history nor bed counts)."},
    "esc_demo_stored": {
        "nb": "Eskaleringsnivåer beregnet og lagret for {at}: fellesskapet nivå {level}, "
              "{raised} av {count} kommuner på nivå 2 eller høyere (flyt escalation).",
        "en": "Escalation levels computed and stored for {at}: the community at level "
              "{level}, {raised} of {count} municipalities at level 2 or above "
              "(flyt escalation).",
    },
    "esc_demo_none": {
        "nb": "Eskaleringsnivåer: for lite historikk til å beregne dem.",
        "en": "Escalation levels: too little history to compute them.",
    },
    # --- end capacity escalation ---
    # --- capacity alert ---
    "dist_kind_escalation-notice": {"nb": "varsel om beredskapsnivå",
                                    "en": "escalation level notice"},
    "escalert_computed": {"nb": "Beredskapsnivå {at}: {count} grupper beregnet og lagret.",
                          "en": "Escalation levels {at}: {count} groups computed and stored."},
    "escalert_would_compute": {
        "nb": "Beredskapsnivå {at}: {count} grupper beregnet (ikke lagret: prøvekjøring).",
        "en": "Escalation levels {at}: {count} groups computed (not stored: dry run)."},
    "escalert_recorded_first": {
        "nb": "{count} grupper sett for første gang: nivået er notert uten e-post.",
        "en": "{count} groups seen for the first time: their level was noted without an "
              "e-mail."},
    "escalert_would_record_first": {
        "nb": "{count} grupper sett for første gang: nivået ville blitt notert uten e-post.",
        "en": "{count} groups seen for the first time: their level would be noted without "
              "an e-mail."},
    "escalert_fell": {"nb": "Sunket: {change} (notert uten e-post).",
                      "en": "Fell: {change} (noted without an e-mail)."},
    "escalert_rose": {"nb": "Steget: {change}.", "en": "Rose: {change}."},
    "escalert_no_recipients": {
        "nb": "Ingen mottakere under [escalation.mail] recipients: ikke sendt.",
        "en": "No recipients under [escalation.mail] recipients: not sent."},
    "escalert_would_send": {"nb": "Ville sendt én e-post om økningene til {count} mottakere.",
                            "en": "Would send one e-mail about the rises to {count} "
                                  "recipients."},
    "escalert_sent": {"nb": "Sendt: én e-post om økningene til {count} mottakere.",
                      "en": "Sent: one e-mail about the rises to {count} recipients."},
    "escalert_failed": {
        "nb": "Kunne ikke sende e-posten om økningene (forsøk {attempt}): {error}",
        "en": "Could not send the e-mail about the rises (attempt {attempt}): {error}"},
    "escalert_subject": {"nb": "Beredskapsnivået har steget per {day} (høyeste: {level})",
                         "en": "Escalation level risen as of {day} (highest: {level})"},
    "escalert_body": {
        "nb": "Beredskapsnivået har steget ved tellingen {at} for disse gruppene (fra "
              "nivået det sist ble varslet om):",
        "en": "The escalation level has risen at the census of {at} for these groups (from "
              "the level last notified):"},
    "escalert_indicator": {"nb": "  – {name}: {value} (terskel {threshold}, nivå {level})",
                           "en": "  – {name}: {value} (threshold {threshold}, level {level})"},
    "escalert_footer": {
        "nb": "Alle gruppene og indikatorene: flyt escalation. Denne e-posten er sendt "
              "automatisk av Flyt, én gang per økning i nivå.",
        "en": "Every group and indicator: flyt escalation. This e-mail was sent "
              "automatically by Flyt, once per rise in level."},
    # --- end capacity alert ---
    # --- capacity plans ---
    "escplan_list_title": {"nb": "Beredskapsplaner i kommunene",
                           "en": "The municipalities' escalation plans"},
    "escplan_title": {"nb": "Beredskapsplan", "en": "Escalation plan"},
    "escplan_list_intro": {
        "nb": "Hver kommune har sin egen lokale eskaleringsplan: tiltak per beredskapsnivå, "
              "kontakter og korttidsplasser den kan låne ut til andre kommuner. Alle kan "
              "lese planene; bare kommunens egne brukere kan endre dem.",
        "en": "Each municipality keeps its own local escalation plan: actions per "
              "escalation level, contacts and short-term beds it can lend to other "
              "municipalities. Everyone can read the plans; only the municipality's own "
              "users can change them."},
    "escplan_list_count": {
        "nb": "{with_plan} av {total} kommuner har registrert en plan; til sammen {beds} "
              "korttidsplasser kan lånes ut.",
        "en": "{with_plan} of {total} municipalities have registered a plan; together "
              "{beds} short-term beds can be lent."},
    "escplan_h_municipality": {"nb": "Kommune", "en": "Municipality"},
    "escplan_h_plan": {"nb": "Plan", "en": "Plan"},
    "escplan_h_beds": {"nb": "Korttidsplasser å låne ut", "en": "Short-term beds to lend"},
    "escplan_h_updated": {"nb": "Sist endret", "en": "Last changed"},
    "escplan_has_plan": {"nb": "Registrert", "en": "Registered"},
    "escplan_no_plan": {"nb": "Ingen plan registrert ennå", "en": "No plan registered yet"},
    "escplan_back": {"nb": "Alle kommunenes planer", "en": "All municipalities' plans"},
    "escplan_updated": {"nb": "Sist endret {at} av {who} (versjon {version}).",
                        "en": "Last changed {at} by {who} (version {version})."},
    "escplan_print": {"nb": "Skriv ut", "en": "Print"},
    "escplan_levels_heading": {"nb": "Tiltak per beredskapsnivå",
                               "en": "Actions per escalation level"},
    "escplan_level": {"nb": "Nivå {level}", "en": "Level {level}"},
    "escplan_beds_heading": {"nb": "Korttidsplasser å låne ut",
                             "en": "Short-term beds to lend"},
    "escplan_beds_text": {
        "nb": "Kommunen kan låne ut {beds} korttidsplasser til andre kommuner.",
        "en": "The municipality can lend {beds} short-term beds to other municipalities."},
    "escplan_contacts_heading": {"nb": "Kontakter", "en": "Contacts"},
    "escplan_contacts_hint": {
        "nb": "Høyst {most} kontakter. Tomme rader lagres ikke; tøm en rad for å fjerne "
              "kontakten. Lagre for å få flere tomme rader.",
        "en": "At most {most} contacts. Empty rows are not stored; empty a row to remove "
              "the contact. Save to get more empty rows."},
    "escplan_contact": {"nb": "Kontakt {n}", "en": "Contact {n}"},
    "escplan_edit": {"nb": "Endre planen", "en": "Change the plan"},
    "escplan_save": {"nb": "Lagre planen", "en": "Save the plan"},
    "escplan_f_actions_1": {"nb": "Tiltak på nivå 1 (normal)",
                            "en": "Actions at level 1 (normal)"},
    "escplan_f_actions_2": {"nb": "Tiltak på nivå 2 (moderat press)",
                            "en": "Actions at level 2 (moderate pressure)"},
    "escplan_f_actions_3": {"nb": "Tiltak på nivå 3 (høyt press)",
                            "en": "Actions at level 3 (high pressure)"},
    "escplan_f_actions_4": {"nb": "Tiltak på nivå 4 (kritisk)",
                            "en": "Actions at level 4 (critical)"},
    "escplan_f_note": {"nb": "Merknad", "en": "Note"},
    "escplan_f_beds": {"nb": "Korttidsplasser kommunen kan låne ut",
                       "en": "Short-term beds the municipality can lend"},
    "escplan_f_role": {"nb": "Funksjon", "en": "Function"},
    "escplan_f_name": {"nb": "Navn", "en": "Name"},
    "escplan_f_phone": {"nb": "Telefon", "en": "Phone"},
    "escplan_f_email": {"nb": "E-post", "en": "E-mail"},
    "escplan_control": {"nb": "{field} inneholder kontrolltegn; skriv vanlig tekst.",
                        "en": "{field} holds control characters; write plain text."},
    "escplan_too_long": {"nb": "{field} er {length} tegn; høyst {limit} er tillatt.",
                         "en": "{field} is {length} characters; at most {limit} are allowed."},
    "escplan_beds_number": {
        "nb": "Korttidsplasser å låne ut må være et helt tall fra 0 til {most}, ikke "
              "«{value}».",
        "en": "Short-term beds to lend must be a whole number from 0 to {most}, not "
              "«{value}»."},
    "escplan_one_line": {"nb": "{field} i en kontakt må stå på én linje.",
                         "en": "A contact's {field} must be on one line."},
    "escplan_contact_who": {"nb": "Kontakt {row} trenger et navn eller en funksjon.",
                            "en": "Contact {row} needs a name or a function."},
    "escplan_bad_phone": {
        "nb": "«{value}» er ikke et telefonnummer (bare sifre, mellomrom, +, - og parenteser).",
        "en": "«{value}» is not a phone number (digits, spaces, +, - and brackets only)."},
    "escplan_bad_email": {"nb": "«{value}» er ikke en e-postadresse.",
                          "en": "«{value}» is not an e-mail address."},
    "escplan_too_many_contacts": {"nb": "Høyst {most} kontakter er tillatt.",
                                  "en": "At most {most} contacts are allowed."},
    "escplan_levels": {"nb": "En plan har tiltak for nøyaktig {count} nivåer.",
                       "en": "A plan has actions for exactly {count} levels."},
    "escplan_stale": {
        "nb": "Noen andre har lagret planen for {municipality} etter at du åpnet skjemaet, så "
              "ingenting er lagret. Det du skrev står fortsatt i skjemaet, og planen over "
              "viser det som er lagret nå. Lagre igjen for å bruke dine verdier.",
        "en": "Someone else saved the plan for {municipality} after you opened the form, so "
              "nothing was saved. What you typed is still in the form, and the plan above "
              "shows what is stored now. Save again to use your values."},
    "action_capacity": {"nb": "kapasitet (alle)", "en": "capacity (all)"},
    "action_capacity.plan_change": {"nb": "beredskapsplan endret",
                                    "en": "escalation plan changed"},
    "escplan_demo_stored": {
        "nb": "Beredskapsplaner: {count} kommuner fikk en demoplan; planer som fantes, "
              "beholdes (/kapasitet/beredskapsplaner).",
        "en": "Escalation plans: {count} municipalities got a demo plan; existing plans "
              "are kept (/kapasitet/beredskapsplaner)."},
    # --- end capacity plans ---
    # --- capacity report ---
    "caprep_title": {"nb": "Kapasitetsrapport uke {week} {year}",
                     "en": "Capacity report week {week} {year}"},
    "caprep_file": {"nb": "kapasitetsrapport", "en": "capacity-report"},
    "caprep_meta": {"nb": "Telling kl. 08: {census} · laget {made} · felles utgave",
                    "en": "08:00 census: {census} · made {made} · shared edition"},
    "caprep_levels": {"nb": "Beredskapsnivå", "en": "Escalation levels"},
    "caprep_levels_stored": {"nb": "Nivåene slik de ble beregnet {at}.",
                             "en": "The levels as computed at {at}."},
    "caprep_levels_computed": {
        "nb": "Nivåene er beregnet for rapporten ved tellingen {at} (ingen lagrede nivåer "
              "fra det siste døgnet).",
        "en": "The levels were computed for the report at the census of {at} (no levels "
              "stored in the last 24 hours)."},
    "caprep_no_level": {"nb": "uten data", "en": "no data"},
    "caprep_indicator": {"nb": "{name} {value} (terskel {threshold})",
                         "en": "{name} {value} (threshold {threshold})"},
    "caprep_col_level_word": {"nb": "Nivå (tekst)", "en": "Level (word)"},
    "caprep_col_census": {"nb": "UKP-pasienter kl. 08", "en": "UKP patients at 08:00"},
    "caprep_col_why": {"nb": "Indikatorer over terskel", "en": "Indicators over a threshold"},
    "caprep_rule": {
        "nb": "Felles utgave: en kommunes antall UKP-pasienter på 1–{below} vises som «:» "
              "(og et antall til når det ellers kunne regnes ut av summen), og det samme "
              "gjelder kommunens UKP-pasienter mot normalen. Nivåene er kategorier og "
              "vises for alle.",
        "en": "Shared edition: a municipality's count of 1–{below} UKP patients is shown "
              "as “:” (and one more count where the total would give it away), and so is "
              "its ratio of UKP patients to the normal. The levels are categories "
              "and are shown for all."},
    "caprep_forecast_heading": {"nb": "Prognose for fellesskapet: UKP-pasienter kl. 08",
                                "en": "The community's forecast: UKP patients at 08:00"},
    "caprep_chart_title": {"nb": "Siste 28 dager og 56 dager fram (80 % intervall)",
                           "en": "The last 28 days and 56 days ahead (80 % interval)"},
    "caprep_chart_y": {"nb": "UKP-pasienter", "en": "UKP patients"},
    "caprep_observed": {"nb": "Telt", "en": "Counted"},
    "caprep_forecast": {"nb": "Prognose", "en": "Forecast"},
    "caprep_today": {"nb": "i dag", "en": "today"},
    "caprep_week": {"nb": "Uke {week}", "en": "Week {week}"},
    "caprep_too_little": {
        "nb": "For kort historikk for en prognose (minst 56 dager med telling).",
        "en": "Too little history for a forecast (at least 56 days of counts)."},
    "caprep_col_week": {"nb": "Uke", "en": "Week"},
    "caprep_col_days": {"nb": "Dager", "en": "Days"},
    "caprep_col_mean": {"nb": "Snitt", "en": "Mean"},
    "caprep_col_lower": {"nb": "Nedre (80 %)", "en": "Lower (80 %)"},
    "caprep_col_upper": {"nb": "Øvre (80 %)", "en": "Upper (80 %)"},
    "caprep_col_from": {"nb": "Fra", "en": "From"},
    "caprep_col_to": {"nb": "Til", "en": "To"},
    "caprep_weeks_note": {
        "nb": "Ukens snitt av prognosens daglige middel, nedre og øvre grense. Snittet av "
              "grensene er et romsligere intervall enn ukesnittets eget.",
        "en": "The week's mean of the forecast's daily mean, lower and upper bound. The "
              "mean of the bounds is a wider interval than the weekly mean's own."},
    "caprep_units": {"nb": "Etterbehandling og korttid: belegg nå og prognosens topp",
                     "en": "After-care and short-term: occupancy now and the forecast peak"},
    "caprep_units_note": {
        "nb": "Siste telling høyst 7 dager gammel. Toppen er prognosens høyeste middel de "
              "neste 56 dagene, med øvre grense (80 %) samme dag.",
        "en": "The latest count at most 7 days old. The peak is the forecast's highest "
              "mean in the next 56 days, with the upper bound (80 %) that day."},
    "caprep_no_units": {"nb": "Ingen enhet har en telling fra de siste 7 dagene.",
                        "en": "No unit has a count from the last 7 days."},
    "caprep_kind_aftercare": {"nb": "etterbehandling", "en": "after-care"},
    "caprep_kind_short_term": {"nb": "korttid", "en": "short-term"},
    "caprep_col_unit": {"nb": "Enhet", "en": "Unit"},
    "caprep_col_kind": {"nb": "Type", "en": "Kind"},
    "caprep_col_owner": {"nb": "Eier", "en": "Owner"},
    "caprep_col_counted": {"nb": "Telt", "en": "Counted"},
    "caprep_col_occupied": {"nb": "Belagt", "en": "Occupied"},
    "caprep_col_available": {"nb": "Tilgjengelig", "en": "Available"},
    "caprep_col_free": {"nb": "Ledige", "en": "Free"},
    "caprep_col_pct": {"nb": "Belegg", "en": "Occupancy"},
    "caprep_col_peak": {"nb": "Topp", "en": "Peak"},
    "caprep_col_peak_day": {"nb": "Toppdag", "en": "Peak day"},
    "caprep_free": {"nb": "Ledige korttidsplasser per kommune",
                    "en": "Free short-term beds per municipality"},
    "caprep_free_note": {
        "nb": "Kommunens korttidsenheter ved siste telling. Et negativt tall: flere belagt "
              "enn tilgjengelig.",
        "en": "The municipality's short-term units at their latest count. A negative "
              "number: more occupied than available."},
    "caprep_no_short_term": {"nb": "Ingen korttidsenhet har en telling fra de siste 7 dagene.",
                             "en": "No short-term unit has a count from the last 7 days."},
    "caprep_col_municipality": {"nb": "Kommune", "en": "Municipality"},
    "caprep_total": {"nb": "I alt", "en": "Total"},
    "caprep_seasons": {"nb": "Sesongkalender for året fram",
                       "en": "Seasonal calendar of the year ahead"},
    "caprep_season_easter": {"nb": "Påske", "en": "Easter"},
    "caprep_season_summer": {"nb": "Sommer", "en": "Summer"},
    "caprep_season_christmas": {"nb": "Jul", "en": "Christmas"},
    "caprep_season_influenza": {"nb": "Influensasesong", "en": "Influenza season"},
    "caprep_short_notice": {"nb": "på kort varsel", "en": "at short notice"},
    "caprep_col_period": {"nb": "Periode", "en": "Period"},
    "caprep_col_meeting": {"nb": "Planlagt møte", "en": "Planned meeting"},
    "caprep_col_normal": {"nb": "Normal", "en": "Normal"},
    "caprep_col_ratio": {"nb": "Mot året", "en": "Against the year"},
    "caprep_col_forecast": {"nb": "Prognose", "en": "Forecast"},
    "caprep_seasons_note": {
        "nb": "Normal: UKP-pasienter kl. 08 prognosens normal venter i perioden (snitt per "
              "dag); mot året: delt på normalens snitt for året fram. Prognose og øvre "
              "grense der 90-dagersprognosen når perioden.",
        "en": "Normal: the UKP patients at 08:00 the forecast's normal expects in the "
              "period (mean per day); against the year: divided by the normal's mean over "
              "the year ahead. Forecast and upper bound where the 90-day forecast reaches "
              "the period."},
    "caprep_sheet_levels": {"nb": "Nivåer", "en": "Levels"},
    "caprep_sheet_weeks": {"nb": "Prognose per uke", "en": "Forecast by week"},
    "caprep_sheet_units": {"nb": "Enheter", "en": "Units"},
    "caprep_sheet_free": {"nb": "Ledige korttid", "en": "Free short-term"},
    "caprep_sheet_seasons": {"nb": "Sesonger", "en": "Seasons"},
    "caprep_wrote": {"nb": "Skrev {path} ({size} byte).", "en": "Wrote {path} ({size} bytes)."},
    "caprep_nothing": {
        "nb": "Lageret har ingen telling, beredskapsnivå eller sengetelling ved {at}.",
        "en": "The store has no census, escalation level or bed count at {at}."},
    "dist_kind_capacity": {"nb": "kapasitetsrapport", "en": "capacity report"},
    # --- end capacity report ---
    # --- capacity pages ---
    "capacity_pages_nav": {"nb": "Kapasitet", "en": "Capacity"},
    "capacity_pages_title": {"nb": "Kapasitet", "en": "Capacity"},
    "capacity_pages_error_title": {
        "nb": "Kapasitet: kan ikke vises",
        "en": "Capacity: cannot be shown"},
    "capacity_pages_back": {"nb": "Tilbake til kapasitetssiden", "en": "Back to the capacity page"},
    "capacity_pages_bad_at": {
        "nb": "«{value}» er ikke et tidspunkt: skriv f.eks. 09.04.2024, 09.04.2024 08:00 eller "
              "2024-04-09T08:00 (år 2000–2100).",
        "en": "“{value}” is not a moment: write e.g. 2024-04-09, 2024-04-09T08:00 or "
              "09.04.2024 (years 2000–2100)."},
    "capacity_pages_bad_group": {
        "nb": "«{value}» er ingen serie: velg all (hele helsefellesskapet), et kommunenummer "
              "eller unit:<enhetens navn>.",
        "en": "“{value}” is no series: choose all (the whole community), a municipality "
              "number or unit:<the unit's name>."},
    "capacity_pages_group_not_yours": {
        "nb": "Prognosen for kommune {code} alene vises bare for kommunens egne brukere og "
              "for analytikere: små tall om enkeltpasienter deles ikke. Velg hele "
              "helsefellesskapet eller en enhet.",
        "en": "The forecast of municipality {code} alone is shown only to its own users "
              "and to analysts: small counts of single patients are not shared. Choose the "
              "whole community or a unit."},
    "capacity_pages_no_series": {
        "nb": "Databasen har ingen historikk for «{group}» på dette tidspunktet.",
        "en": "The store has no history of “{group}” at this moment."},
    "capacity_pages_too_little": {
        "nb": "For kort historikk til en prognose (minst 56 dager trengs); bare tellingen "
              "vises.",
        "en": "Too little history for a forecast (56 days are needed); only the census is "
              "shown."},
    "capacity_pages_at": {"nb": "Per {at}; siste telling kl. 08:00: {last}",
                          "en": "At {at}; the last 08:00 census: {last}"},
    "capacity_pages_series": {"nb": "Serie", "en": "Series"},
    "capacity_pages_moment": {"nb": "Tidspunkt", "en": "Moment"},
    "capacity_pages_moment_hint": {"nb": "nå (eller dd.mm.åååå tt:mm)",
                                   "en": "now (or yyyy-mm-ddThh:mm)"},
    "capacity_pages_forecast_heading": {"nb": "Prognose neste 56 dager: {group}",
                                        "en": "Forecast for the next 56 days: {group}"},
    "capacity_pages_community_now": {
        "nb": "UKP-pasienter i hele helsefellesskapet nå: {count} (telling {at}).",
        "en": "UKP patients in the whole community now: {count} (census {at})."},
    "capacity_pages_chart_caption": {
        "nb": "telling siste 28 dager (heltrukket), prognosens snitt (stiplet) og "
              "80 %-intervall (skravert); streken er i dag.",
        "en": "the census of the last 28 days (solid), the forecast mean (dashed) and its "
              "80 % interval (shaded); the rule is today."},
    "capacity_pages_census": {"nb": "Telling kl. 08", "en": "08:00 census"},
    "capacity_pages_forecast_mean": {"nb": "Prognose (snitt)", "en": "Forecast (mean)"},
    "capacity_pages_forecast_upper": {"nb": "Prognose (øvre 80 %)", "en": "Forecast (upper 80 %)"},
    "capacity_pages_band": {"nb": "80 %-intervall", "en": "80 % interval"},
    "capacity_pages_lower": {"nb": "Nedre 80 %", "en": "Lower 80 %"},
    "capacity_pages_upper": {"nb": "Øvre 80 %", "en": "Upper 80 %"},
    "capacity_pages_today": {"nb": "i dag", "en": "today"},
    "capacity_pages_day": {"nb": "Dag", "en": "Day"},
    "capacity_pages_ukp_patients": {"nb": "UKP-pasienter", "en": "UKP patients"},
    "capacity_pages_aftercare_occupied": {"nb": "Belagte senger, etterbehandling",
                                          "en": "Occupied beds, after-care"},
    "capacity_pages_short_term_occupied": {"nb": "Belagte senger, korttid",
                                           "en": "Occupied beds, short-term"},
    "capacity_pages_levels": {"nb": "Beredskapsnivå", "en": "Escalation levels"},
    "capacity_pages_levels_at": {"nb": "Nivåene ble beregnet for {at}.",
                                 "en": "The levels were computed for {at}."},
    "capacity_pages_no_levels": {
        "nb": "Ingen beredskapsnivå er lagret ennå: kjør «flyt escalation» (eller vent på "
              "den daglige kjøringen).",
        "en": "No escalation level is stored yet: run “flyt escalation” (or wait for the "
              "daily run)."},
    "capacity_pages_no_level": {"nb": "ingen data", "en": "no data"},
    "capacity_pages_since": {"nb": "siden {since}", "en": "since {since}"},
    "capacity_pages_ukp_now": {"nb": "UKP nå", "en": "UKP now"},
    "capacity_pages_disclosure": {
        "nb": "Delt utgave: en kommunes UKP-tall på 1–{below} vises ikke (:), og heller ikke "
              "UKP-verdiene bak en kommunes nivå; egen kommune vises eksakt.",
        "en": "Shared edition: a municipality's UKP count of 1–{below} is not shown (:), "
              "nor are the UKP values behind a municipality's level; your own municipality is "
              "shown exact."},
    "capacity_pages_calendar": {
        "nb": "Sesongkalender neste år",
        "en": "The seasons of the year ahead"},
    "capacity_pages_period": {"nb": "Periode", "en": "Period"},
    "capacity_pages_dates": {"nb": "Datoer", "en": "Dates"},
    "capacity_pages_meeting": {"nb": "Planlagt møte", "en": "Planned meeting"},
    "capacity_pages_short_notice": {"nb": "møte på kort varsel", "en": "meeting at short notice"},
    "capacity_pages_pressure": {"nb": "Press mot en normal dag", "en": "Pressure vs a normal day"},
    "capacity_pages_pressure_note": {
        "nb": "Press: UKP-pasientene prognosens normal venter i perioden mot normalens snitt "
              "det neste året (+12 % er 12 % flere enn en vanlig dag). Prognosens snitt og "
              "øvre grense der de 90 dagene fram når perioden.",
        "en": "Pressure: the UKP patients the forecast's normal expects over the period "
              "against the normal's mean over the year ahead (+12 % is 12 % more than a "
              "usual day). The forecast's mean and upper bound where its 90 days reach the "
              "period."},
    "capacity_pages_easter": {"nb": "Påske", "en": "Easter"},
    "capacity_pages_summer": {"nb": "Sommer", "en": "Summer"},
    "capacity_pages_christmas": {"nb": "Jul", "en": "Christmas"},
    "capacity_pages_influenza": {"nb": "Influensasesong", "en": "Influenza season"},
    "capacity_pages_beds": {"nb": "Ledige senger nå", "en": "Free beds now"},
    "capacity_pages_unit": {"nb": "Enhet", "en": "Unit"},
    "capacity_pages_kind": {"nb": "Type", "en": "Kind"},
    "capacity_pages_owner": {"nb": "Eier", "en": "Owner"},
    "capacity_pages_counted_at": {"nb": "Telt", "en": "Counted"},
    "capacity_pages_occupied": {"nb": "Belagt", "en": "Occupied"},
    "capacity_pages_available": {"nb": "Tilgjengelig", "en": "Available"},
    "capacity_pages_free": {"nb": "Ledige", "en": "Free"},
    "capacity_pages_over": {"nb": "overbelegg", "en": "over capacity"},
    "capacity_pages_lending": {
        "nb": "Korttidsplasser kommunene kan låne ut (beredskapsplanene)",
        "en": "Short-term beds the municipalities can lend (the escalation plans)"},
    "capacity_pages_free_short_term": {"nb": "Ledige korttidsplasser nå",
                                       "en": "Free short-term beds now"},
    "capacity_pages_no_lending": {
        "nb": "Ingen kommune har ført opp korttidsplasser den kan låne ut.",
        "en": "No municipality has listed short-term beds it can lend."},
    "capacity_pages_sum": {"nb": "Sum", "en": "Total"},
    "capacity_pages_all_units": {"nb": "alle enheter", "en": "all units"},
    "capacity_pages_aftercare": {"nb": "Etterbehandling", "en": "After-care"},
    "capacity_pages_short_term": {"nb": "Korttid", "en": "Short-term"},
    "capacity_pages_no_beds": {"nb": "Ingen sengetelling de siste sju dagene.",
                               "en": "No bed count in the last seven days."},
    "capacity_pages_accuracy_title": {"nb": "Prognosens treffsikkerhet",
                                      "en": "The forecast's accuracy"},
    "capacity_pages_accuracy_intro": {
        "nb": "Prognosen laget fra tidligere dager, sammenlignet med det som faktisk skjedde "
              "og med to enkle prognoser. Lavere MAE og MAPE er bedre; dekningen bør være "
              "nær 80 %.",
        "en": "The forecast made from earlier days, compared with what happened and with "
              "two simple forecasts. Lower MAE and MAPE is better; the coverage should be "
              "near 80 %."},
    "capacity_pages_model": {"nb": "Modellen", "en": "The model"},
    "capacity_pages_naive_week": {"nb": "Samme ukedag forrige uke", "en": "Same weekday last week"},
    "capacity_pages_naive_year": {"nb": "Samme ukedag i fjor", "en": "Same weekday last year"},
    "capacity_pages_running": {
        "nb": "Beregner … (det kan ta et halvt minutt; siden oppdateres selv.)",
        "en": "Computing … (it can take half a minute; the page refreshes itself.)"},
    "capacity_pages_refresh": {"nb": "Oppdater", "en": "Refresh"},
    "capacity_pages_seconds": {"nb": "Beregnet på {seconds} sekunder.",
                               "en": "Computed in {seconds} seconds."},
    "capacity_pages_backtest_failed": {
        "nb": "Tilbaketestingen feilet; se serverens logg.",
        "en": "The backtest failed; see the server's log."},
    # --- end capacity pages ---
    # --- simulation scenario ---
    "sim_scenario_in_change": {"nb": "Endring {change}: {problem}",
                               "en": "Change {change}: {problem}"},
    "sim_scenario_unreadable": {"nb": "Kan ikke lese scenariofila {path}: {why}",
                                "en": "Cannot read the scenario file {path}: {why}"},
    "sim_scenario_not_utf8": {"nb": "Scenariofila er ikke UTF-8-tekst.",
                              "en": "The scenario file is not UTF-8 text."},
    "sim_scenario_too_large": {"nb": "Scenariofila er større enn {limit} kB.",
                               "en": "The scenario file is larger than {limit} kB."},
    "sim_scenario_too_many": {"nb": "Scenariofila har flere enn {limit} endringer.",
                              "en": "The scenario file has more than {limit} changes."},
    "sim_scenario_syntax": {
        "nb": "Scenariofila er ikke gyldig TOML: feil på linje {line}, kolonne {column}.",
        "en": "The scenario file is not valid TOML: an error at line {line}, column {column}."},
    "sim_scenario_unknown_top": {
        "nb": "Ukjent nøkkel «{name}» øverst i fila; bare «name» og [[change]] er tillatt.",
        "en": "Unknown key \u201c{name}\u201d at the top of the file; only \u201cname\u201d "
              "and [[change]] are allowed."},
    "sim_scenario_name_too_long": {"nb": "«name» er lengre enn {limit} tegn.",
                                   "en": "\u201cname\u201d is longer than {limit} characters."},
    "sim_scenario_change_not_list": {
        "nb": "«change» må være en liste av endringer, skrevet [[change]] (ikke [change]).",
        "en": "\u201cchange\u201d must be a list of changes, written [[change]] "
              "(not [change])."},
    "sim_scenario_no_changes": {"nb": "Scenariofila har ingen endringer ([[change]]).",
                                "en": "The scenario file has no changes ([[change]])."},
    "sim_scenario_change_not_table": {
        "nb": "må være en tabell med nøkler, som [[change]].",
        "en": "must be a table of keys, like [[change]]."},
    "sim_scenario_unknown_key": {
        "nb": "ukjent nøkkel «{name}».",
        "en": "unknown key \u201c{name}\u201d."},
    "sim_scenario_no_kind": {"nb": "sier ikke hva som endres; bruk én av {kinds}.",
                             "en": "does not say what changes; use one of {kinds}."},
    "sim_scenario_two_kinds": {
        "nb": "endrer flere ting ({kinds}); skriv én endring per [[change]].",
        "en": "changes several things ({kinds}); write one change per [[change]]."},
    "sim_scenario_not_whole": {
        "nb": "«{name}» må være et helt tall, fant {found}.",
        "en": "\u201c{name}\u201d must be a whole number, found {found}."},
    "sim_scenario_beds_bounds": {
        "nb": "«{name}» = {found} er utenfor det tillatte (fra -{limit} til {limit}).",
        "en": "\u201c{name}\u201d = {found} is out of bounds (from -{limit} to {limit})."},
    "sim_scenario_not_number": {
        "nb": "«{name}» må være et tall (en relativ endring, -0.2 er 20 % mindre), fant {found}.",
        "en": "\u201c{name}\u201d must be a number (a relative change, -0.2 is 20 % less), "
              "found {found}."},
    "sim_scenario_relative_bounds": {
        "nb": "«{name}» = {found} er utenfor det tillatte: større enn -1 (-100 %) og høyst 10 "
              "(+1 000 %).",
        "en": "\u201c{name}\u201d = {found} is out of bounds: above -1 (-100 %) and at most 10 "
              "(+1 000 %)."},
    "sim_scenario_not_text": {
        "nb": "«{name}» må være tekst i anførselstegn, fant {found}.",
        "en": "\u201c{name}\u201d must be text in quotes, found {found}."},
    "sim_scenario_unknown_municipality": {
        "nb": "ukjent kommunenummer «{code}» i «municipality».",
        "en": "unknown municipality number \u201c{code}\u201d in \u201cmunicipality\u201d."},
    "sim_scenario_unknown_unit": {"nb": "ukjent enhet «{unit}» i «unit».",
                                  "en": "unknown unit \u201c{unit}\u201d in \u201cunit\u201d."},
    "sim_scenario_not_short_term": {
        "nb": "«{unit}» er ikke en korttidsenhet; «unit» må være en korttidsenhet.",
        "en": "\u201c{unit}\u201d is not a short-term unit; \u201cunit\u201d must be one."},
    "sim_scenario_both_targets": {
        "nb": "har både «municipality» og «unit»; bruk én av dem.",
        "en": "has both \u201cmunicipality\u201d and \u201cunit\u201d; use one of them."},
    "sim_scenario_target_missing": {
        "nb": "«{kind}» må ha «municipality» (alle kommunens korttidsenheter) eller «unit».",
        "en": "\u201c{kind}\u201d needs \u201cmunicipality\u201d (all the municipality's "
              "short-term units) or \u201cunit\u201d."},
    "sim_scenario_target_unit": {
        "nb": "«{kind}» kan ikke gjelde én enhet («unit»); bruk «municipality» eller ingen "
              "(alle kommuner).",
        "en": "\u201c{kind}\u201d cannot apply to one unit (\u201cunit\u201d); use "
              "\u201cmunicipality\u201d or neither (all municipalities)."},
    "sim_scenario_bad_date": {
        "nb": "«{name}» må være en dato som 2024-01-31, fant {found}.",
        "en": "\u201c{name}\u201d must be a date like 2024-01-31, found {found}."},
    "sim_scenario_to_before_from": {
        "nb": "«to» ({last}) er før «from» ({first}).",
        "en": "\u201cto\u201d ({last}) is before \u201cfrom\u201d ({first})."},
    # --- end simulation scenario ---
    # --- simulation calibration ---
    "simulation_calibration_short_history": {
        "nb": "For kort historikk til å kalibrere modellen: {days} dager før startdatoen, "
              "minst {needed} trengs.",
        "en": "Too little history to calibrate the model: {days} days before the start "
              "date, at least {needed} are needed."},
    "simulation_calibration_no_stays": {
        "nb": "Ingen utskrevne UKP-opphold fra {first} til {before}: modellen kan ikke "
              "kalibreres.",
        "en": "No discharged UKP stays from {first} to {before}: the model cannot be "
              "calibrated."},
    "simulation_calibration_years": {
        "nb": "Antall år med historikk må være fra 1 til {most} (fikk {years}).",
        "en": "The years of history must be from 1 to {most} (got {years})."},
    # --- end simulation calibration ---
    # --- simulation command ---
    "simulation_period_bad": {
        "nb": "Perioden må være fra 1 til {most} dager, og --to kan ikke være før --from.",
        "en": "The period must be 1 to {most} days, and --to cannot be before --from."},
    "simulation_period_missing": {
        "nb": "Oppgi perioden med --from og --to (eller bruk --validate).",
        "en": "Give the period with --from and --to (or use --validate)."},
    "simulation_text_only_validate": {
        "nb": "Formatet text gjelder bare --validate; bruk csv eller json.",
        "en": "The text format is for --validate only; use csv or json."},
    "simulation_validate_nothing": {
        "nb": "Ingen hele år med minst ett års historikk før seg å validere mot.",
        "en": "No whole year with at least a year of history before it to validate on."},
    "simulation_validation_heading": {
        "nb": "Validering: hvert år simulert fra årene før (kalibrert 1. januar), "
              "UKP-døgn (KPI 1) mot det som skjedde",
        "en": "Validation: each year simulated from the years before it (calibrated on "
              "1 January), UKP days (KPI 1) against what happened"},
    "simulation_col_year": {"nb": "År", "en": "Year"},
    "simulation_col_group": {"nb": "Gruppe", "en": "Group"},
    "simulation_col_actual": {"nb": "Faktisk", "en": "Actual"},
    "simulation_col_mean": {"nb": "Simulert", "en": "Simulated"},
    "simulation_col_interval": {"nb": "90 % intervall", "en": "90 % interval"},
    "simulation_col_inside": {"nb": "Innenfor", "en": "Inside"},
    "simulation_community": {"nb": "Helsefellesskapet", "en": "Community"},
    "simulation_yes": {"nb": "ja", "en": "yes"},
    "simulation_no": {"nb": "nei", "en": "no"},
    "simulation_coverage_community": {
        "nb": "Helsefellesskapet innenfor intervallet: {inside} av {total} år ({share}).",
        "en": "Community inside the interval: {inside} of {total} years ({share})."},
    "simulation_coverage_municipalities": {
        "nb": "Kommunene innenfor intervallet: {inside} av {total} kommune-år ({share}).",
        "en": "Municipalities inside the interval: {inside} of {total} municipality-years "
              "({share})."},
    # --- end simulation command ---
    # --- simulation words (shared by the page and the report) ---
    "sim_measure_kpi1": {"nb": "Antall UKP-døgn (KPI 1)", "en": "UKP days (KPI 1)"},
    "sim_measure_kpi2": {"nb": "Andel UKP med 0 døgn (KPI 2), %",
                         "en": "Share of UKP stays with 0 days (KPI 2), %"},
    "sim_measure_kpi3": {"nb": "Gjennomsnittlig liggetid som UKP (KPI 3), døgn",
                         "en": "Mean UKP days per stay (KPI 3), days"},
    "sim_measure_kpi6": {"nb": "Liggetid korttidsopphold (KPI 6), døgn",
                         "en": "Length of short-term stays (KPI 6), days"},
    "sim_measure_payment": {"nb": "Betaling for UKP-døgn, dagens døgnpris (kr)",
                            "en": "Payment for UKP days at the day rate (NOK)"},
    "sim_measure_payment_rising": {"nb": "Betaling med stigende døgnpris (kr)",
                                   "en": "Payment with a rising day rate (NOK)"},
    "sim_run_baseline": {"nb": "Grunnlag", "en": "Baseline"},
    "sim_run_scenario": {"nb": "Scenario", "en": "Scenario"},
    "sim_run_difference": {"nb": "Forskjell", "en": "Difference"},
    "sim_step_calibrating": {"nb": "Kalibrerer modellen på historikken …",
                             "en": "Calibrating the model on the history …"},
    "sim_step_baseline": {"nb": "Simulerer grunnlaget …", "en": "Simulating the baseline …"},
    "sim_step_scenario": {"nb": "Simulerer scenarioet …", "en": "Simulating the scenario …"},
    "sim_step_summary": {"nb": "Oppsummerer …", "en": "Summing up …"},
    "sim_target_all": {"nb": "Alle kommuner", "en": "All municipalities"},
    "sim_kind_short_term_beds": {"nb": "korttidsplasser", "en": "short-term beds"},
    "sim_kind_length_of_stay": {"nb": "liggetid på korttidsopphold",
                                "en": "length of short-term stays"},
    "sim_kind_arrivals": {"nb": "nye UKP-pasienter", "en": "new UKP patients"},
    "sim_kind_ukp_wait": {"nb": "ventetid som UKP", "en": "wait as UKP"},
    # --- end simulation words ---
    # --- simulation report ---
    "simrep_title": {"nb": "Hva om", "en": "What if"},
    "simrep_meta": {
        "nb": "Simulert {first}–{last}, {replications} gjentakelser (frø {seed}); modellen "
              "er kalibrert på historikken {window_first}–{window_last}.",
        "en": "Simulated {first}–{last}, {replications} replications (seed {seed}); the "
              "model is calibrated on the history {window_first}–{window_last}."},
    "simrep_changes": {"nb": "Endringene i scenarioet", "en": "The scenario's changes"},
    "simrep_no_changes": {"nb": "Ingen endringer: bare grunnlaget er simulert.",
                          "en": "No changes: only the baseline is simulated."},
    "simrep_how_to_read": {
        "nb": "Hvert tall er gjennomsnittet over gjentakelsene, med 90 % intervall under: "
              "i 9 av 10 gjentakelser lå verdien innenfor. Forskjell er scenario minus "
              "grunnlag, gjentakelse for gjentakelse (de samme pasientene i begge).",
        "en": "Each number is the mean over the replications, with the 90 % interval "
              "below it: in 9 of 10 replications the value was inside. Difference is "
              "scenario minus baseline, replication by replication (the same patients in "
              "both)."},
    "simrep_model": {
        "nb": "Modellen: nye UKP-pasienter per kommune, dag og sesong; utskrivningssted og "
              "ventetid trukket fra det som er observert; pasienter til korttidsopphold "
              "venter i tillegg på ledig plass i kommunen. Tallene er modellens, ikke "
              "tellinger av personer. Se docs/simulation.md.",
        "en": "The model: new UKP patients per municipality, day and season; destination "
              "and wait drawn from what was observed; patients bound for a short-term stay "
              "also wait for a free bed in their municipality. The numbers are the model's, "
              "not counts of people. See docs/simulation.md."},
    "simrep_col_group": {"nb": "Gruppe", "en": "Group"},
    "simrep_col_municipality": {"nb": "Kommune", "en": "Municipality"},
    "simrep_municipalities": {"nb": "kommunene", "en": "the municipalities"},
    "simrep_footer": {"nb": "Flyt – hva om-simulering", "en": "Flyt – what-if simulation"},
    "simrep_wrote": {"nb": "Skrev {path} ({size} byte).", "en": "Wrote {path} ({size} bytes)."},
    # --- end simulation report ---
    # --- simulation page ---
    "simpage_nav": {"nb": "Hva om", "en": "What if"},
    "simpage_title": {"nb": "Hva om: simuler en endring", "en": "What if: simulate a change"},
    "simpage_run_title": {"nb": "Hva om: kjøring", "en": "What if: a run"},
    "action_simulation": {"nb": "hva om-simulering (alle)", "en": "what-if simulation (all)"},
    "action_simulation.run": {"nb": "hva om-simulering kjørt", "en": "what-if simulation run"},
    "simpage_intro": {
        "nb": "Modellen lærer av årene før perioden og simulerer flyten mellom sykehus og "
              "kommuner mange ganger: grunnlaget (som i dag) og, med endringer, scenarioet. "
              "Tallene er snitt med 90 %-intervall.",
        "en": "The model learns from the years before the period and simulates the flow "
              "between hospital and municipalities many times: the baseline (as today) and, "
              "with changes, the scenario. The figures are means with a 90 % interval."},
    "simpage_problems": {"nb": "Skjemaet må rettes", "en": "The form needs correcting"},
    "simpage_problems_hint": {
        "nb": "Ingenting er kjørt. Hvert problem står ved feltet eller endringen det gjelder.",
        "en": "Nothing was run. Each problem is shown beside its field or change."},
    "simpage_run_legend": {"nb": "Periode og simulering", "en": "Period and simulation"},
    "simpage_first": {"nb": "Fra dato", "en": "From date"},
    "simpage_last": {"nb": "Til dato", "en": "To date"},
    "simpage_replications": {"nb": "Antall gjentakelser", "en": "Replications"},
    "simpage_seed": {"nb": "Startverdi (seed)", "en": "Seed"},
    "simpage_run_hint": {
        "nb": "Gjentakelser fra {low} til {high}; samme startverdi gir samme tall. Et år med "
              "1 000 gjentakelser tar omtrent et halvt minutt.",
        "en": "Replications from {low} to {high}; the same seed gives the same numbers. A "
              "year with 1,000 replications takes about half a minute."},
    "simpage_changes": {"nb": "Endringer", "en": "Changes"},
    "simpage_changes_hint": {
        "nb": "Uten endringer simuleres bare grunnlaget. Fra- og til-dato på en endring er "
              "valgfrie: uten dem gjelder den hele perioden.",
        "en": "Without changes only the baseline is simulated. A change's from and to dates "
              "are optional: without them it holds for the whole period."},
    "simpage_kind_short_term_beds": {"nb": "Korttidsplasser", "en": "Short-term beds"},
    "simpage_kind_length_of_stay": {"nb": "Liggetid på korttid", "en": "Short-term length of stay"},
    "simpage_kind_arrivals": {"nb": "Utskrivningsklare (tilstrømning)",
                              "en": "Ready for discharge (arrivals)"},
    "simpage_kind_ukp_wait": {"nb": "Ventetid som UKP", "en": "Wait as UKP"},
    "simpage_help_short_term_beds": {
        "nb": "Hele plasser lagt til (negativt tall tar bort) for en kommune eller en "
              "korttidsenhet, f.eks. 3 for tre plasser til i Melhus.",
        "en": "Whole beds added (a negative number removes) for a municipality or a "
              "short-term unit, e.g. 3 for three more beds in Melhus."},
    "simpage_help_length_of_stay": {
        "nb": "Endring i prosent av korttidsoppholdenes lengde for en enhet, en kommune eller "
              "alle, f.eks. -20 for 20 % kortere opphold.",
        "en": "Change in per cent of the short-term stays' length for a unit, a "
              "municipality or all, e.g. -20 for stays 20 % shorter."},
    "simpage_help_arrivals": {
        "nb": "Endring i prosent av pasientene som blir utskrivningsklare, for en kommune "
              "eller alle, f.eks. 30 for en influensatopp med 30 % flere.",
        "en": "Change in per cent of the patients becoming ready for discharge, for a "
              "municipality or all, e.g. 30 for an influenza peak with 30 % more."},
    "simpage_help_ukp_wait": {
        "nb": "Endring i prosent av ventetiden som UKP for en kommune eller alle, f.eks. -25 "
              "for et utskrivningsteam som korter ventetiden med en firedel.",
        "en": "Change in per cent of the wait as UKP for a municipality or all, e.g. -25 "
              "for a discharge team that cuts the wait by a quarter."},
    "simpage_more_changes": {"nb": "Flere endringer (2–8)", "en": "More changes (2–8)"},
    "simpage_change_n": {"nb": "Endring {n}", "en": "Change {n}"},
    "simpage_kind": {"nb": "Hva endres", "en": "What changes"},
    "simpage_kind_none": {"nb": "(ingen endring)", "en": "(no change)"},
    "simpage_target": {"nb": "For", "en": "For"},
    "simpage_target_all": {"nb": "alle", "en": "everyone"},
    "simpage_value": {"nb": "Verdi (senger eller %)", "en": "Value (beds or %)"},
    "simpage_change_from": {"nb": "Fra (valgfri)", "en": "From (optional)"},
    "simpage_change_to": {"nb": "Til (valgfri)", "en": "To (optional)"},
    "simpage_toml": {"nb": "Eller lim inn et scenario (TOML)",
                     "en": "Or paste a scenario (TOML)"},
    "simpage_toml_label": {
        "nb": "Scenariofil som for «flyt simulate --scenario» (høyst {kb} kB); brukes i "
              "stedet for endringene over.",
        "en": "A scenario file as for “flyt simulate --scenario” (at most {kb} kB); used "
              "instead of the changes above."},
    "simpage_run_button": {"nb": "Kjør simuleringen", "en": "Run the simulation"},
    "simpage_period_bad": {
        "nb": "Til-datoen kan ikke være før fra-datoen, og perioden kan være høyst {most} "
              "dager.",
        "en": "The to date cannot be before the from date, and the period can be at most "
              "{most} days."},
    "simpage_date_missing": {"nb": "Skriv en dato.", "en": "Write a date."},
    "simpage_date_bad": {"nb": "«{found}» er ingen dato: skriv f.eks. 2024-01-31.",
                         "en": "“{found}” is not a date: write e.g. 2024-01-31."},
    "simpage_whole_bad": {"nb": "«{found}» må være et helt tall fra {low} til {high}.",
                          "en": "“{found}” must be a whole number from {low} to {high}."},
    "simpage_rows_and_text": {
        "nb": "Fyll ut endringene eller lim inn et scenario, ikke begge.",
        "en": "Fill in the changes or paste a scenario, not both."},
    "simpage_kind_missing": {"nb": "Velg hva som endres.", "en": "Choose what changes."},
    "simpage_value_bad": {
        "nb": "«{found}» er ikke et tall: skriv hele senger (3) eller prosent (-20).",
        "en": "“{found}” is not a number: write whole beds (3) or per cent (-20)."},
    "simpage_target_bad": {"nb": "Velg en kommune, en korttidsenhet eller alle fra listen.",
                           "en": "Choose a municipality, a short-term unit or everyone from "
                                 "the list."},
    "simpage_busy": {
        "nb": "To simuleringer kjører allerede på serveren. Vent til en av dem er ferdig og "
              "prøv igjen.",
        "en": "Two simulations are already running on the server. Wait until one of them "
              "is done and try again."},
    "simpage_failed": {"nb": "Simuleringen feilet; se serverens logg.",
                       "en": "The simulation failed; see the server's log."},
    "simpage_not_found": {
        "nb": "Fant ingen slik kjøring. Kjøringer holdes en stund etter at de er startet, og "
              "vises bare for den som startet dem.",
        "en": "No such run. Runs are kept for a while after they are started, and shown "
              "only to whoever started them."},
    "simpage_new_run": {"nb": "Ny simulering", "en": "New simulation"},
    "simpage_run_what": {
        "nb": "Periode {first}–{last}, {replications} gjentakelser, startverdi {seed}.",
        "en": "Period {first}–{last}, {replications} replications, seed {seed}."},
    "simpage_baseline_only": {"nb": "Ingen endringer: bare grunnlaget simuleres.",
                              "en": "No changes: only the baseline is simulated."},
    "simpage_refresh": {"nb": "Oppdater", "en": "Refresh"},
    "simpage_result_intro": {
        "nb": "Modellen er kalibrert på historikken fra {calibrated_from} til før {first}. "
              "Hvert tall er snittet over gjentakelsene med 90 %-intervall [nedre; øvre]; "
              "forskjellen er scenario minus grunnlag.",
        "en": "The model is calibrated on the history from {calibrated_from} to before "
              "{first}. Each figure is the mean over the replications with the 90 % interval "
              "[lower; upper]; the difference is scenario minus baseline."},
    "simpage_chart_caption": {
        "nb": "Snitt (punkt) og 90 %-intervall (strek) for hele helsefellesskapet og "
              "regionene; tabellen under har tallene.",
        "en": "Mean (point) and 90 % interval (bar) for the whole community and the "
              "regions; the table below has the figures."},
    "simpage_municipalities": {"nb": "Kommunene", "en": "The municipalities"},
    "simpage_group": {"nb": "Gruppe", "en": "Group"},
    "simpage_interval": {"nb": "90 %-intervall", "en": "90 % interval"},
    # --- end simulation page ---
    # --- deviations ---
    "dev_nav": {"nb": "Avvik", "en": "Deviations"},
    "action_deviation": {"nb": "avvik (alle)", "en": "deviations (all)"},
    "action_deviation.create": {"nb": "avvik meldt", "en": "deviation reported"},
    "action_deviation.read": {"nb": "avvik lest", "en": "deviation read"},
    "action_deviation.read.refused": {"nb": "avvik nektet lest", "en": "deviation read refused"},
    "action_deviation.status": {"nb": "avviksstatus endret", "en": "deviation status changed"},
    "action_deviation.list": {"nb": "avviksliste lest", "en": "deviation list read"},
    "dev_no_organisation": {
        "nb": "Brukeren {user} handler ikke for noen organisasjon og kan ikke melde avvik.",
        "en": "The user {user} acts for no organisation and cannot report deviations.",
    },
    "dev_not_own_organisation": {
        "nb": "Du kan bare melde avvik for din egen organisasjon ({own}), ikke {given}.",
        "en": "You can only report deviations for your own organisation ({own}), not {given}.",
    },
    "dev_bad_severity": {
        "nb": "Ukjent alvorlighetsgrad «{value}» (kjente: {known}).",
        "en": "Unknown severity \"{value}\" (known: {known}).",
    },
    "dev_bad_level": {
        "nb": "Ukjent nivå «{value}» (kjente: {known}).",
        "en": "Unknown level \"{value}\" (known: {known}).",
    },
    "dev_bad_category": {
        "nb": "Ukjent kategori «{value}» (kjente: {known}).",
        "en": "Unknown category \"{value}\" (known: {known}).",
    },
    "dev_bad_status": {
        "nb": "Ukjent status «{value}» (kjente: {known}).",
        "en": "Unknown status \"{value}\" (known: {known}).",
    },
    "dev_unknown_status": {
        "nb": "Ukjent status «{status}» (kjente: {known}).",
        "en": "Unknown status \"{status}\" (known: {known}).",
    },
    "dev_transition_not_allowed": {
        "nb": "Et avvik med status «{current}» kan ikke få status «{to}».",
        "en": "A deviation with status \"{current}\" cannot move to \"{to}\".",
    },
    "dev_transition_not_reporter": {
        "nb": "Bare mottakeren kan endre status fra «{current}» til «{to}».",
        "en": "Only the receiver can change the status from \"{current}\" to \"{to}\".",
    },
    "dev_transition_not_receiver": {
        "nb": "Bare melderen kan endre status fra «{current}» til «{to}».",
        "en": "Only the reporter can change the status from \"{current}\" to \"{to}\".",
    },
    "dev_transition_not_system": {
        "nb": "Statusen «{current}» → «{to}» settes ikke automatisk.",
        "en": "The status change \"{current}\" → \"{to}\" is not made automatically.",
    },
    "dev_reason_required": {
        "nb": "Et avvik kan bare avvises med en begrunnelse.",
        "en": "A deviation can only be rejected with a reason.",
    },
    "dev_answer_required": {
        "nb": "Et avvik kan bare besvares med et skriftlig svar.",
        "en": "A deviation can only be answered with a written answer.",
    },
    "dev_unknown_org": {
        "nb": "Ukjent organisasjon «{org}».",
        "en": "Unknown organisation \"{org}\".",
    },
    "dev_no_receiver": {
        "nb": "Avviket må ha minst én mottaker.",
        "en": "The deviation needs at least one receiver.",
    },
    "dev_receiver_is_reporter": {
        "nb": "Melderen «{org}» kan ikke også være mottaker.",
        "en": "The reporter \"{org}\" cannot also be a receiver.",
    },
    "dev_clause_required": {
        "nb": "Et avvik på systemnivå må oppgi punktet i samarbeidsavtalen.",
        "en": "A system-level deviation must name the clause of the collaboration agreement.",
    },
    "dev_summary_required": {
        "nb": "Avviket må ha en kort beskrivelse (sammendrag).",
        "en": "The deviation needs a summary.",
    },
    "dev_patient_ref_national_id": {
        "nb": "Pasientreferansen ser ut som et fødselsnummer (11 sifre): bruk en "
              "pseudonym referanse.",
        "en": "The patient reference looks like a national identity number (11 digits): "
              "use a pseudonymous reference.",
    },
    "dev_source_pair": {
        "nb": "Et importert avvik må ha både kilde og kildens id.",
        "en": "An imported deviation needs both its source and its id there.",
    },
    "dev_source_taken": {
        "nb": "Avviket {source_id} fra {source} er allerede lagret.",
        "en": "Deviation {source_id} from {source} is already stored.",
    },
    "dev_not_found": {
        "nb": "Fant ikke avviket {id}.",
        "en": "Deviation {id} not found.",
    },
    "dev_stale_version": {
        "nb": "Avviket {id} er endret av noen andre siden du åpnet det (versjon {given}, "
              "nå {current}). Last det inn på nytt; ingenting er lagret.",
        "en": "Deviation {id} was changed by someone else since you opened it (version "
              "{given}, now {current}). Reload it; nothing was saved.",
    },
    # --- end deviations ---
    # --- deviations accounts ---
    "role_gp": {"nb": "Fastlege (felles tall)", "en": "GP (shared figures)"},
    "role_improvement": {"nb": "Forbedringsgruppen (felles tall)",
                         "en": "Improvement group (shared figures)"},
    "role_competence": {"nb": "Kompetansegruppen (felles tall, redigerer tiltaksplanen)",
                        "en": "Competence group (shared figures, edits the action plan)"},
    "user_organisation": {"nb": "Organisasjon", "en": "Organisation"},
    "user_organisation_if": {"nb": "Organisasjon (for fastleger; ellers valgfri)",
                             "en": "Organisation (for GPs; otherwise optional)"},
    "user_organisation_default": {"nb": "– rollens standard –", "en": "– the role's default –"},
    "user_error_organisation_unknown": {"nb": "Ukjent organisasjon.",
                                        "en": "Unknown organisation."},
    "user_error_organisation_missing": {
        "nb": "En fastlegebruker må ha en organisasjon (fastlege-<kommunenummer>).",
        "en": "A GP user needs an organisation (fastlege-<kommunenummer>)."},
    "user_error_organisation_not_gp": {
        "nb": "En fastlegebruker handler for fastlegene i en kommune (fastlege-…).",
        "en": "A GP user acts for the GPs of a municipality (fastlege-…)."},
    "user_error_organisation_not_municipality": {
        "nb": "En kommunebruker handler for sin egen kommune; velg ingen annen organisasjon.",
        "en": "A municipality user acts for its own municipality; choose no other "
              "organisation."},
    "user_error_organisation_extra": {
        "nb": "Forbedringsgruppen har ingen egen organisasjon; la feltet stå tomt.",
        "en": "The improvement group has no organisation of its own; leave it empty."},
    # --- end deviations accounts ---
    # --- deviations io ---
    "devio_too_many_rows": {
        "nb": "Filen har mer enn {limit} rader; del den opp.",
        "en": "The file has more than {limit} rows; split it.",
    },
    "devio_missing_columns": {
        "nb": "Filen mangler kolonnene: {columns}.",
        "en": "The file lacks the columns: {columns}.",
    },
    "devio_required": {
        "nb": "mangler (påkrevd)",
        "en": "missing (required)",
    },
    "devio_too_long": {
        "nb": "for lang: {length} tegn (høyst {max})",
        "en": "too long: {length} characters (at most {max})",
    },
    "devio_duplicate": {
        "nb": "samme source_id som rad {row}",
        "en": "the same source_id as row {row}",
    },
    "devio_bad_time": {
        "nb": "ugyldig tidspunkt: {why}",
        "en": "not a date or time: {why}",
    },
    "devio_bad_flag": {
        "nb": "ugyldig ja/nei: {why}",
        "en": "not true/false: {why}",
    },
    "devio_fixed": {
        "nb": "kan ikke endres ved ny import (avviket {id} er lagret med en annen verdi)",
        "en": "cannot change on a re-import (deviation {id} is stored with another value)",
    },
    "devio_done": {
        "nb": "{file}: {rows} rader lest; {new} nye, {updated} oppdatert, {unchanged} uendret.",
        "en": "{file}: {rows} rows read; {new} new, {updated} updated, {unchanged} unchanged.",
    },
    "devio_done_nothing": {
        "nb": "{file}: {rows} rader lest; alt var allerede lagret, ingenting endret.",
        "en": "{file}: {rows} rows read; all were stored already, nothing changed.",
    },
    "devio_rejected": {
        "nb": "{file} er avvist: {count} feil, ingenting er lagret.",
        "en": "{file} is rejected: {count} errors, nothing was stored.",
    },
    "devio_national_id_warning": {
        "nb": "rad {row}, {column}: teksten ser ut til å inneholde et fødselsnummer; "
              "sjekk at den ikke identifiserer pasienten",
        "en": "row {row}, {column}: the text looks like it holds a national identity "
              "number; check that it does not identify the patient",
    },
    "devio_changed_meanwhile": {
        "nb": "Avviket {id} ble endret mens filen ble kontrollert; ingenting er lagret. "
              "Importer filen på nytt.",
        "en": "Deviation {id} was changed while the file was checked; nothing was stored. "
              "Import the file again.",
    },
    "devio_imported_meanwhile": {
        "nb": "En annen import fra {source} lagret de samme avvikene samtidig; ingenting er "
              "lagret. Importer filen på nytt.",
        "en": "Another import from {source} stored the same deviations at the same time; "
              "nothing was stored. Import the file again.",
    },
    # --- end deviations io ---
}


def t(key: str, lang: str = "nb") -> str:
    """The text for `key` in `lang` (Norwegian bokmål for a language we do not have).

    A key without a text in one of our languages is a programming error: it is logged
    (once) and the bokmål text, else the key itself, is shown; under the tests
    (FLYT_STRICT_I18N=1) it raises KeyError instead."""
    entry = _TEXT.get(key, {})
    text = entry.get(lang if lang in LANGS else "nb")
    if text:
        return text
    if os.environ.get(STRICT_ENV) == "1":
        raise KeyError(f"no {lang!r} text for the i18n key {key!r}")
    if (key, lang) not in _reported:
        _reported.add((key, lang))
        _log.warning("no %r text for the i18n key %r", lang, key)
    return entry.get("nb") or key


def known(key: str) -> bool:
    """Whether `key` has a text (for code that shows a word when Flyt has one, and the
    code itself otherwise)."""
    return bool(_TEXT.get(key, {}).get("nb"))


def group_name(name: str, lang: str = "nb") -> str:
    """A chart line's or table column's group as shown: "community" (the whole health
    community) in the user's language; a region or municipality by its own name, which
    is data, not a text key."""
    return t("community", lang) if name == "community" else name


# --- number and date formats (Babel) ---------------------------------------------------
#
# Every number and date shown to people is written here, by Babel from the locale's
# data (CLDR): bokmål (nb_NO) has a non-breaking space (U+00A0) between thousands, a
# decimal comma and "12,5 %" (U+00A0 before the sign); English (en_GB) "1,234.5" and
# "12.5%". Dates: dd.mm.yyyy in bokmål, ISO yyyy-mm-dd in English, as the pages have
# always shown them. Machine outputs (CSV, JSON, Parquet, the payment CSV) never come
# here: they keep plain numbers (docs/data-formats.md).
#
# Two choices of Flyt's own:
# - Rounding is half up, as the engine rounds the KPIs (engine/rules.py): a value is
#   rounded here before Babel sees it (Babel rounds half to even), so 0.125 shown with
#   two decimals is "0,13", and a stored KPI shown with its own decimals is unchanged.
# - A negative number has the ASCII hyphen-minus, not CLDR's minus sign (U+2212):
#   copied into a spreadsheet or searched for, "-3" is read as the number it is.
# Babel is imported at the first number shown: commands that print none do not load it.

LOCALES = {"nb": "nb_NO", "en": "en_GB"}
DATE_PATTERNS = {"nb": "dd.MM.yyyy", "en": "yyyy-MM-dd"}  # yyyy: the calendar year
TIME_PATTERN = "HH:mm"


@cache
def locale(lang: str) -> Locale:
    """Babel's locale of a language of ours (bokmål for any other)."""
    from babel import Locale

    return Locale.parse(LOCALES.get(lang, LOCALES["nb"]))


@cache
def _pattern(kind: str, decimals: int, lang: str) -> NumberPattern:
    """The Babel pattern of a plain, signed (+/-) or percent number with `decimals`
    decimals, the negative part spelt out so that it has the ASCII hyphen."""
    from babel.numbers import parse_pattern

    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    if kind == "percent":  # the locale's own: "#,##0 %" (nb, U+00A0), "#,##0%" (en)
        positive = locale(lang).percent_formats[None].pattern.replace("#,##0", digits, 1)
        return parse_pattern(f"{positive};-{positive}")
    if kind == "signed":
        return parse_pattern(f"+{digits};-{digits}")
    return parse_pattern(f"{digits};-{digits}")


def _rounded(value: float | int | Decimal, decimals: int) -> Decimal | None:
    """`value` rounded half up to `decimals` (None: not a finite number). A float is
    taken as the decimal it prints as (2.675, not the binary 2.67499…), as Babel does.
    A value that rounds to zero is zero, never "-0,0"."""
    if isinstance(value, Decimal):
        exact = value
    elif isinstance(value, int):  # bool too: Decimal(True) is 1
        exact = Decimal(value)
    else:
        exact = Decimal(str(value))
    if not exact.is_finite():
        return None
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _formatted(kind: str, value: float | int | Decimal | None, decimals: int, lang: str,
               scale: int = 1) -> str:
    rounded = None if value is None else _rounded(value, decimals)
    if rounded is None:
        return NO_VALUE_MARK
    if kind == "signed" and rounded.is_zero():  # no change has no sign
        kind = "plain"
    return _pattern(kind, decimals, lang).apply(rounded / scale, locale(lang))


def number(value: float | int | Decimal | None, decimals: int = 0, lang: str = "nb") -> str:
    """1234567.8 with one decimal: "1 234 567,8" (U+00A0) in bokmål, "1,234,567.8" in
    English; None: the no-value mark."""
    return _formatted("plain", value, decimals, lang)


def signed(value: float | int | Decimal | None, decimals: int = 0, lang: str = "nb") -> str:
    """A change: "+1 234", "-3", and "0" for none (nor for one that rounds to none)."""
    return _formatted("signed", value, decimals, lang)


def percent(value: float | int | Decimal | None, decimals: int = 1, lang: str = "nb") -> str:
    """A value in per cent (12.5 is 12.5 %): "12,5 %" (U+00A0) in bokmål, "12.5%" in
    English; None: the no-value mark."""
    return _formatted("percent", value, decimals, lang, scale=100)


def day(value: date | datetime, lang: str = "nb") -> str:
    """31.12.2024 in bokmål, 2024-12-31 in English."""
    from babel.dates import format_date

    return format_date(value, DATE_PATTERNS.get(lang, DATE_PATTERNS["nb"]),
                       locale=locale(lang))


def moment(value: datetime, lang: str = "nb") -> str:
    """31.12.2024 23:59 in bokmål, 2024-12-31 23:59 in English: the wall-clock time the
    value holds (Flyt's times are naive Oslo time, flyt.domain.clock; Babel converts a
    time only when given a zone, and none is given)."""
    from babel.dates import format_datetime

    pattern = f"{DATE_PATTERNS.get(lang, DATE_PATTERNS['nb'])} {TIME_PATTERN}"
    return format_datetime(value, pattern, locale=locale(lang))


def month_name(month: int, lang: str = "nb") -> str:
    """The name of month 1–12 on its own: "mars", "March"."""
    return str(locale(lang).months["stand-alone"]["wide"][month])


def month(value: date, lang: str = "nb") -> str:
    """A month as a heading says it: "mars 2024", "March 2024"."""
    return f"{month_name(value.month, lang)} {value.year}"
