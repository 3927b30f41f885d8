"""Generated inputs for the hash-set tests (no real reference lists, no imagery)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any


def md5(i: int | str) -> str:
    return hashlib.md5(f"item-{i}".encode()).hexdigest()


def sha1(i: int | str) -> str:
    return hashlib.sha1(f"item-{i}".encode()).hexdigest()


def sha256(i: int | str) -> str:
    return hashlib.sha256(f"item-{i}".encode()).hexdigest()


def pdq(i: int | str) -> str:
    return hashlib.sha256(f"pdq-{i}".encode()).hexdigest()


VICS2_CONTEXT = (
    "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/Default/$metadata#Media"
)
VICS2_UK_CASE = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/UK/$metadata#Cases"
VICS13_CONTEXT = "http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media"


def vics2_hashset(media: list[dict[str, Any]]) -> dict[str, Any]:
    return {"@odata.context": VICS2_CONTEXT, "value": media}


def write_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return path


# RDSv3 schema, the tables the FILE view needs, as published in
# patatetom/rds4xways:RDSv3_2021.12.2_curated.schema.sql (forensic-triage.md §1.8).
RDS3_SCHEMA = """
CREATE TABLE PACKAGE_OBJECT (
    package_object_id INTEGER UNIQUE NOT NULL,
    package_id INTEGER NOT NULL,
    object_id INTEGER UNIQUE NOT NULL,
    CONSTRAINT PK_PACKAGE_OBJECT__PACKAGE_OBJECT_ID PRIMARY KEY (package_object_id)
);
CREATE TABLE METADATA (
    metadata_id NUMERIC UNIQUE NOT NULL,
    object_id INTEGER,
    key_hash VARCHAR NOT NULL,
    image_hash VARCHAR,
    path VARCHAR NOT NULL,
    path_b64 VARCHAR,
    path_coding VARCHAR,
    file_name VARCHAR NOT NULL,
    file_name_b64 VARCHAR,
    file_name_coding VARCHAR,
    extension VARCHAR DEFAULT '' NOT NULL,
    extension_b64 VARCHAR,
    extension_coding VARCHAR,
    bytes INTEGER NOT NULL,
    mtime TIMESTAMP,
    used_in_rds TIMESTAMP,
    update_date TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    recursion_level INTEGER,
    extractee_id INTEGER DEFAULT 0,
    crc32 VARCHAR NOT NULL,
    md5 VARCHAR NOT NULL,
    sha1 VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    CONSTRAINT PK_METADATA__METADATA_ID PRIMARY KEY (metadata_id),
    CONSTRAINT FK_METADATA__EXTRACTEE_ID FOREIGN KEY (extractee_id)
        REFERENCES METADATA (metadata_id),
    CONSTRAINT FK_METADATA__OBJECT_ID FOREIGN KEY (object_id)
        REFERENCES PACKAGE_OBJECT (object_id)
);
CREATE TABLE VERSION (
    version VARCHAR UNIQUE NOT NULL,
    build_set VARCHAR NOT NULL,
    build_date TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    release_date TIMESTAMP NOT NULL,
    description VARCHAR NOT NULL,
    CONSTRAINT PK_VERSION__VERSION PRIMARY KEY (version)
);
CREATE VIEW FILE AS
    SELECT
        UPPER(md.sha256) AS sha256,
        UPPER(md.sha1) AS sha1,
        UPPER(md.md5) AS md5,
        CASE md.extension
            WHEN '' THEN md.file_name
            ELSE md.file_name||'.'||md.extension
        END AS file_name,
        md.bytes AS file_size,
        po.package_id
    FROM METADATA AS md, PACKAGE_OBJECT AS po
    WHERE md.object_id = po.object_id;
"""


def build_rds3(path: Path, items: list[int], *, orphan: int | None = None) -> Path:
    """A small RDSv3 'full' database; ``orphan`` adds a METADATA row outside any package."""
    conn = sqlite3.connect(path)
    conn.executescript(RDS3_SCHEMA)
    conn.execute(
        "INSERT INTO VERSION VALUES ('2024.03.1', 'modern', '2024-03-01', '2024-03-01', 'test')"
    )
    rows = [(i, n) for n, i in enumerate(items)] + (
        [(orphan, 999_999)] if orphan is not None else []
    )
    for n, (i, obj) in enumerate(rows):
        if obj != 999_999:
            conn.execute("INSERT INTO PACKAGE_OBJECT VALUES (?, ?, ?)", (n, 7, obj))
        conn.execute(
            "INSERT INTO METADATA (metadata_id, object_id, key_hash, path, file_name, extension,"
            " bytes, crc32, md5, sha1, sha256)"
            " VALUES (?, ?, 'k', '/x', ?, 'dll', 10, '0', ?, ?, ?)",
            (n, obj, f"f{i}", md5(i), sha1(i), sha256(i)),  # lower-case; the view upper-cases
        )
    conn.commit()
    conn.close()
    return path


def build_rds3_minimal(path: Path, items: list[int]) -> Path:
    """The 'minimal' download shape: a DISTINCT_HASH relation (sha256, sha1, md5)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE DISTINCT_HASH (sha256 VARCHAR, sha1 VARCHAR, md5 VARCHAR)")
    conn.executemany(
        "INSERT INTO DISTINCT_HASH VALUES (?, ?, ?)",
        [(sha256(i).upper(), sha1(i).upper(), md5(i).upper()) for i in items],
    )
    conn.commit()
    conn.close()
    return path
