"""Generate ``words.txt``, the word list for enquiry references.

Run from the repository root after ``apt-get install -y wbritish-small``::

    uv run python src/comeforward/enquiries/wordlist/make_wordlist.py \
        /usr/share/dict/british-english-small > src/comeforward/enquiries/wordlist/words.txt

Source: Debian package ``wbritish-small`` 2020.12.07-2 (SCOWL size 35, British spelling; public
domain / permissive SCOWL licence). Rules (users-and-security §3.1–3.2: ≥ 7,000 words so that
7 words give ≈ 90 bits, as in SecureDrop's ``passphrases.py``):

- lowercase a–z only, 4–8 letters (short enough to type, long enough to be distinct);
- inflected forms dropped where the base word is in the list (``walks``, ``walked``,
  ``walking`` → ``walk``), so the list reads as plain English;
- words that would be offensive, frightening or incriminating to find written down in this
  scheme's context removed: sexual, violent, criminal-justice, child and family words, drugs,
  slurs and profanity (``BLOCKED_ROOTS`` matches anywhere in a word, ``BLOCKED_WORDS`` exactly).

The output is deterministic (sorted), so regenerating it gives the same file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

#: Roots blocked anywhere inside a word (chosen so that they rarely hit innocent words).
BLOCKED_ROOTS = (
    "abus",
    "abort",
    "anal",
    "anus",
    "arse",
    "assault",
    "bastard",
    "bitch",
    "blood",
    "bomb",
    "boob",
    "breast",
    "butt",
    "child",
    "cock",
    "condom",
    "corpse",
    "crim",
    "cunt",
    "dead",
    "death",
    "dick",
    "dildo",
    "drug",
    "erot",
    "fetish",
    "fuck",
    "gay",
    "genital",
    "grope",
    "gun",
    "homo",
    "horny",
    "incest",
    "infant",
    "jail",
    "kill",
    "lesbian",
    "lust",
    "masturb",
    "molest",
    "murder",
    "naked",
    "nazi",
    "negro",
    "nigg",
    "nipple",
    "nude",
    "orgasm",
    "orgy",
    "paedo",
    "pedo",
    "penis",
    "perver",
    "piss",
    "police",
    "porn",
    "prison",
    "prostitut",
    "pube",
    "pubic",
    "pussy",
    "rape",
    "rapist",
    "semen",
    "sex",
    "shit",
    "slave",
    "slut",
    "sperm",
    "stab",
    "suicid",
    "teen",
    "terror",
    "testic",
    "tits",
    "tort",
    "vagin",
    "victim",
    "violen",
    "virgin",
    "weapon",
    "whore",
    "witch",
    "wound",
    "kid",
)

#: Whole words blocked (too short or too common a substring to block as a root).
BLOCKED_WORDS = frozenset(
    """
    adult arrest bare bed beds bottom bra baby babies boy boys girl girls son sons daughter
    bride brides groom pupil pupils minor minors youth youths young younger youngest toddler
    nanny nappy school schools cot cots doll dolls toy toys nursery puberty womb
    image images photo photos picture pictures video videos camera webcam film films
    court courts judge judges jury trial trials guilty guilt crime crimes convict cops cop
    caution offence offences offender illegal charged charge charges lawyer solicitor
    sentence custody warrant suspect suspects evidence confess confession prosecute
    gas hang hanged hanging noose shoot shot shots knife knives rifle pistol sniper bullet
    die dies died dying coffin grave graves funeral hell damn devil satan demon
    drunk booze beer wine vodka whisky heroin cocaine opium crack needle
    fat ugly stupid idiot moron retard cretin dumb lame freak fool loser
    slag tart tramp pimp harlot hooker bimbo wench hussy
    kinky sexy spank strip strips stripper stripped naughty flirt seduce lover lovers
    kiss kisses kissed hug hugs caress fondle touch touched touching bath bathe shower
    undress nude bikini panties knickers lingerie thong
    jew jews arab arabs gypsy gypsies paki chink coon dago wog spic kike yid
    queer dyke tranny fag faggot fags poof poofter
    hitler jihad
    abduct beast bestial bosom brat coerce cripple crotch dirty filth filthy groin hate hostage
    innocent juvenile lass lewd loin loins lure lurid maim navel obscene offend pant poison
    predator prey punish scum slay smut sordid stalk thigh threat titbit vice hidden hide secret
    shame sinful sinner sin wicked evil vile menace arouse intimate sensual carnal nubile buxom
    busty sultry steamy frisky chaste
    flesh skin lick licks licked suck sucks sucked blow bang balls ball nuts wank wanker
    willy prick knob bonk shag screw screwed hump horn horny
    """.split()  # noqa: SIM905 - a word list reads better as prose
)

_ALPHA = re.compile(r"^[a-z]{4,8}$")


def _is_inflection(word: str, words: set[str]) -> bool:
    for suffix, replacements in (
        ("s", ("",)),
        ("es", ("",)),
        ("ies", ("y",)),
        ("ied", ("y",)),
        ("ier", ("y",)),
        ("iest", ("y",)),
        ("ed", ("", "e")),
        ("ing", ("", "e")),
        ("er", ("", "e")),
        ("est", ("", "e")),
        ("ly", ("",)),
    ):
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if any(stem + r in words and stem + r != word for r in replacements):
                return True
            # doubled consonant: "stopped" → "stop"
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in words:
                return True
    return False


def is_blocked(word: str) -> bool:
    return word in BLOCKED_WORDS or any(root in word for root in BLOCKED_ROOTS)


def build(lines: list[str]) -> list[str]:
    dictionary = {line.strip() for line in lines if line.strip().isalpha()}
    candidates = {w for w in dictionary if _ALPHA.match(w)}
    kept = {w for w in candidates if not is_blocked(w) and not _is_inflection(w, dictionary)}
    return sorted(kept)


def main(argv: list[str]) -> int:
    source = Path(argv[1] if len(argv) > 1 else "/usr/share/dict/british-english-small")
    words = build(source.read_text(encoding="utf-8").splitlines())
    sys.stdout.write("\n".join(words) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
