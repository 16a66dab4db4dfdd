"""A small list of passwords and words that guessing tries first (flyt.accounts.passwords).

Only what the length rule (12 characters) does not already refuse matters: whole
passwords of 12 or more characters, and words that people pad to 12 with digits and
marks ("Passord2024!"). English and Norwegian; lower case.
"""

from __future__ import annotations

# Whole passwords (compared in lower case, without the spaces around them).
PASSWORDS = frozenset({
    "password1234", "password12345", "password123456", "passwordpassword",
    "passord12345", "passord123456", "passordpassord", "qwertyuiop12", "qwertyuiop123",
    "qwertyuiopå", "qwertyuiopåæ", "asdfghjklæø", "asdfghjklöä", "1q2w3e4r5t6y",
    "1qaz2wsx3edc", "q1w2e3r4t5y6", "qazwsxedcrfv", "zaq12wsxcde3", "iloveyou1234",
    "letmein12345", "welcome12345", "trustno1trustno1", "administrator", "administrator1",
    "changeme1234", "changemenow!", "hemmelig1234", "velkommen123", "velkommen1234",
    "brukernavn12", "stolavshospital", "st.olavshospital", "helseplattformen",
    "sykehuset123", "ikkepassord1", "mittpassord1", "mitt passord", "nytt passord",
    "correcthorsebatterystaple", "correct horse battery staple",
})

# Words that become a password with digits or marks around them ("Sommer2024!!").
WORDS = frozenset({
    "password", "passord", "passwort", "qwerty", "qwertyuiop", "asdfgh", "letmein",
    "welcome", "velkommen", "hemmelig", "secret", "admin", "administrator", "changeme",
    "iloveyou", "jegelskerdeg", "sommer", "summer", "vinter", "winter", "høst", "vår",
    "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
    "oktober", "november", "desember", "mandag", "fredag", "norge", "trondheim",
    "stolav", "stolavs", "olav", "helse", "sykehus", "sykehuset", "kommune", "flyt",
    "rosenborg", "football", "fotball", "monkey", "dragon", "master", "sunshine",
    "princess", "shadow", "superman", "batman", "starwars", "pokemon", "login",
})
