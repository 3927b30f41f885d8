"""Signed reports (signing.py): keygen, run --signing-key, the .sig format, file modes."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from comeforward_triage import cli, signing
from comeforward_triage.journal import Journal
from comeforward_triage.run import RunOptions, triage_run
from evidence_fixtures import make_tree


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """Run with umask 000: files must still be created private (umask-independent)."""
    old = os.umask(0)
    yield
    os.umask(old)


def _keygen(tmp_path: Path, capsys) -> dict:
    assert cli.main(["triage", "keygen", "--out", str(tmp_path / "keys" / "ws.key")]) == 0
    return json.loads(capsys.readouterr().out)


def test_keygen_writes_a_private_key_0600_and_prints_the_public_key(
    tmp_path: Path, capsys, open_umask
) -> None:
    made = _keygen(tmp_path, capsys)
    key_file = tmp_path / "keys" / "ws.key"
    assert _mode(key_file) == 0o600
    signer = signing.load_key(str(key_file))
    assert made["fingerprint"] == hashlib.sha256(signer.public_key).hexdigest()
    assert made["public_key"] == signing.public_key_text(signer.public_key)
    assert signing.parse_public_key(made["public_key"]) == signer.public_key
    pub = json.loads(Path(made["public_key_file"]).read_text())
    assert pub["fingerprint"] == made["fingerprint"]
    assert "private_key" not in pub
    # never overwritten
    assert cli.main(["triage", "keygen", "--out", str(key_file)]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "SIGNING_KEY_EXISTS"
    assert signing.load_key(str(key_file)).fingerprint == made["fingerprint"]


def test_a_key_others_may_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ws.key"
    signing.generate_key_file(str(path))
    path.chmod(0o640)
    with pytest.raises(signing.SigningKeyInsecure):
        signing.load_key(str(path))
    with pytest.raises(signing.SigningKeyNotFound):
        signing.load_key(str(tmp_path / "missing.key"))
    bad = tmp_path / "bad.key"
    bad.write_text("not a key")
    bad.chmod(0o600)
    with pytest.raises(signing.SigningKeyInvalid):
        signing.load_key(str(bad))


def test_signed_run_seals_every_report_file(tmp_path: Path, capsys, open_umask) -> None:
    made = _keygen(tmp_path, capsys)
    ev, out = tmp_path / "ev", tmp_path / "out"
    make_tree(ev)
    argv = ["triage", "run", str(ev), "--out", str(out), "--exhibit", "JS/1", "--quiet"]
    assert cli.main([*argv, "--no-perceptual", "--signing-key", made["private_key_file"]]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["signed_by"] == made["fingerprint"]

    report_bytes = (out / "report.json").read_bytes()
    report = json.loads(report_bytes)
    sig_doc = json.loads((out / "report.json.sig").read_text())
    assert sig_doc["key_fingerprint"] == made["fingerprint"]
    assert sig_doc["algorithm"] == "Ed25519"
    assert sig_doc["report_sha256"] == hashlib.sha256(report_bytes).hexdigest()
    public = signing.parse_public_key(made["public_key"])
    signing.verify(
        report_bytes,
        signing.parse_signature(sig_doc_bytes := (out / "report.json.sig").read_bytes()),
        public,
    )
    # The companion files' digests are inside the signed report.
    for name in ("files.jsonl", "report.dfxml", "report.case.jsonld", "new-material.vics.json"):
        digest = hashlib.sha256((out / name).read_bytes()).hexdigest()
        assert report["sealed_files"][name] == digest
    assert report["files_sha256"] == report["sealed_files"]["files.jsonl"]
    run = json.loads((out / "run.json").read_text())
    assert report["run_id"] == run["run_id"] and len(run["run_id"]) == 36

    # Any change to the report breaks the signature.
    tampered = report_bytes.replace(b'"A": 0', b'"A": 1', 1)
    assert tampered != report_bytes
    with pytest.raises(signing.SignatureInvalid):
        signing.verify(tampered, signing.parse_signature(sig_doc_bytes), public)
    other = signing.ReportSigner.generate()
    with pytest.raises(signing.SignatureInvalid):
        signing.verify(report_bytes, signing.parse_signature(sig_doc_bytes), other.public_key)

    # Every file of the run is private, whatever the umask.
    for path in out.iterdir():
        assert _mode(path) == 0o600, path.name

    # A resumed run keeps its id and is signed again.
    assert cli.main([*argv, "--no-perceptual", "--signing-key", made["private_key_file"]]) == 0
    capsys.readouterr()
    again = json.loads((out / "report.json").read_text())
    assert again["run_id"] == report["run_id"]
    signing.verify(
        (out / "report.json").read_bytes(),
        signing.parse_signature((out / "report.json.sig").read_bytes()),
        public,
    )


def test_unsigned_run_still_works_and_leaves_no_stale_signature(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(signing.KEY_ENV, raising=False)
    ev, out = tmp_path / "ev", tmp_path / "out"
    make_tree(ev)
    opts = dict(source=str(ev), out=str(out), exhibit="JS/1", perceptual=False, quiet=True)
    triage_run(RunOptions(**opts, signing_key=signing.ReportSigner.generate()))
    assert (out / "report.json.sig").exists()
    report = triage_run(RunOptions(**opts))
    assert not (out / "report.json.sig").exists()
    assert report["totals"]["files"] == 5
    assert signing.resolve_key(None) is None


def test_key_from_environment_and_default_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(signing.KEY_ENV, raising=False)
    default = signing.default_key_path()
    assert default == str(tmp_path / "config" / "comeforward" / "triage-signing.key")
    made = signing.generate_key_file(default)
    assert signing.resolve_key(None).fingerprint == made["fingerprint"]
    other = signing.generate_key_file(str(tmp_path / "other.key"))
    monkeypatch.setenv(signing.KEY_ENV, str(tmp_path / "other.key"))
    assert signing.resolve_key(None).fingerprint == other["fingerprint"]
    monkeypatch.setenv(signing.KEY_ENV, str(tmp_path / "missing.key"))
    with pytest.raises(signing.SigningKeyNotFound):  # named but missing: never unsigned
        signing.resolve_key(None)


def test_malformed_signature_files(tmp_path: Path) -> None:
    signer = signing.ReportSigner.generate()
    good = json.loads(signing.sign_bytes(signer, b"{}\n"))
    for broken in (
        b"not json",
        json.dumps({**good, "algorithm": "RSA"}).encode(),
        json.dumps({**good, "signature": "AAAA"}).encode(),
        json.dumps({**good, "key_fingerprint": "XYZ"}).encode(),
        json.dumps({k: v for k, v in good.items() if k != "signature"}).encode(),
    ):
        with pytest.raises(signing.SignatureInvalid):
            signing.parse_signature(broken)


def test_public_key_forms(tmp_path: Path) -> None:
    signer = signing.ReportSigner.generate()
    text = signing.public_key_text(signer.public_key)
    pub_json = json.dumps({"public_key": text})
    for form in (text, text.removeprefix("ed25519:"), f"  {text}\n", pub_json):
        assert signing.parse_public_key(form) == signer.public_key
    for bad in ("", "ed25519:AAAA", "ed25519:!!!", "{}"):
        with pytest.raises(signing.PublicKeyInvalid):
            signing.parse_public_key(bad)


def test_journal_is_created_0600_whatever_the_umask(tmp_path: Path, open_umask) -> None:
    path = tmp_path / "journal.jsonl"
    journal = Journal(str(path))
    journal.add_record({"path": "a", "inode": None, "deleted": False})
    journal.close()
    assert _mode(path) == 0o600
    path.chmod(0o644)  # an older run's journal is narrowed on resume
    Journal(str(path)).close()
    assert _mode(path) == 0o600
