"""The reference: word list, generation, normalisation, keyed hashes (users-and-security §3)."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

from comeforward.enquiries import reference
from comeforward.enquiries.errors import (
    EnquiryChannelNotConfigured,
    ReferenceMalformed,
    ReferenceNotFound,
)
from comeforward.enquiries.wordlist import make_wordlist

PEPPER = "ab" * 32
SOURCE_DICT = Path("/usr/share/dict/british-english-small")


def test_word_list_has_at_least_7000_unique_plain_words():
    words = reference.WORDS_FILE.read_text(encoding="utf-8").split()
    assert len(words) == len(set(words)) == 9776
    assert len(words) >= 7000
    assert all(re.fullmatch(r"[a-z]{4,8}", w) for w in words)
    assert reference.REFERENCE_WORDS * math.log2(len(words)) > 90


def test_word_list_has_no_blocked_words():
    words = reference.wordlist()
    assert [w for w in words if make_wordlist.is_blocked(w)] == []
    for word in ("child", "police", "naked", "images", "victim", "arrest"):
        assert word not in words


def test_blocklist_rules():
    assert make_wordlist.is_blocked("childhood")  # root anywhere
    assert make_wordlist.is_blocked("school")  # exact word
    assert not make_wordlist.is_blocked("falcon")
    assert make_wordlist.build(
        ["walk", "walks", "walked", "walking", "hop", "hopped", "Tree", "ab"]
    ) == ["walk"]


@pytest.mark.skipif(not SOURCE_DICT.exists(), reason="apt-get install -y wbritish-small")
def test_committed_word_list_is_what_the_script_generates():
    script = Path(make_wordlist.__file__)
    out = subprocess.run(
        [sys.executable, str(script), str(SOURCE_DICT)], capture_output=True, text=True, check=True
    ).stdout
    assert out == reference.WORDS_FILE.read_text(encoding="utf-8")


def test_generated_references_are_seven_listed_words_and_differ():
    words = set(reference.wordlist())
    refs = {reference.reference_generate() for _ in range(50)}
    assert len(refs) == 50
    for ref in refs:
        parts = ref.split(" ")
        assert len(parts) == 7 and set(parts) <= words
        assert reference.reference_normalise(ref) == ref


def test_normalisation_ignores_case_spacing_and_punctuation():
    ref = "falcon ribbon spoon pond visit stanza tailor"
    messy = "  Falcon   RIBBON,spoon-Pond\tvisit\nStanza   tailor. "
    assert reference.reference_normalise(messy) == ref


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("falcon ribbon spoon", "Enter all 7 words of your reference. You entered 3."),
        ("falcon ribbon spoon pond visit stanza tailor spoon", "You entered 8."),
        ("falcon ribbon spoon pond visit stanza xyzzy", "‘xyzzy’ is not one of the words we use"),
        ("a" * 201, "Your reference is too long"),
        ("", "You entered 0."),
    ],
)
def test_malformed_references(text, message):
    with pytest.raises(ReferenceMalformed) as caught:
        reference.reference_normalise(text)
    assert message in caught.value.message
    assert caught.value.code == "ENQUIRY_REFERENCE_MALFORMED"


def test_lookup_key_is_keyed_and_deterministic():
    ref = "falcon ribbon spoon pond visit stanza tailor"
    key = reference.lookup_key(PEPPER, ref)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert key == reference.lookup_key(PEPPER, ref)
    assert key != reference.lookup_key("cd" * 32, ref)
    assert ref not in key


def test_missing_pepper_is_a_configuration_error():
    with pytest.raises(EnquiryChannelNotConfigured):
        reference.lookup_key("", "falcon ribbon spoon pond visit stanza tailor")


def test_verifier_is_salted_slow_hash_that_checks_only_the_right_reference():
    ref = "falcon ribbon spoon pond visit stanza tailor"
    one = reference.verifier_make(PEPPER, ref, log2_n=10)
    two = reference.verifier_make(PEPPER, ref, log2_n=10)
    assert one != two  # per-row salt
    assert one.startswith("scrypt$10$8$1$")
    reference.verifier_check(PEPPER, ref, one)
    with pytest.raises(ReferenceNotFound):
        reference.verifier_check(PEPPER, "falcon ribbon spoon pond visit stanza saint", one)
    with pytest.raises(ReferenceNotFound):
        reference.verifier_check("cd" * 32, ref, one)  # the pepper is part of the key


def test_reply_seed_depends_on_reference_salt_and_purpose():
    ref = "falcon ribbon spoon pond visit stanza tailor"
    params = reference.ScryptParams.fresh(10)
    seed = reference.reply_seed(PEPPER, ref, params)
    assert len(seed) == 32
    assert seed == reference.reply_seed(PEPPER, ref, reference.ScryptParams.decode(params.encode()))
    assert seed != reference.reply_seed(PEPPER, ref, reference.ScryptParams.fresh(10))
    assert seed != reference.reply_seed(
        PEPPER, "falcon ribbon spoon pond visit stanza saint", params
    )


def test_designation_format_and_independence():
    designations = {reference.designation_generate() for _ in range(100)}
    assert len(designations) == 100
    assert all(re.fullmatch(r"ENQ-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", d) for d in designations)
