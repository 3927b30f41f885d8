"""Builds the native walk-and-hash core, ``comeforward_triage._native`` (ADR 0102, addendum 3).

It owns its digests wholly (``digests.c``: MD5, SHA-1, SHA-256 in C and with the x86 SHA
extensions; no OpenSSL, issue 19 item 6). The extension is optional: where it cannot be built
(no C compiler) the package
installs without it and the engine uses its pure-Python path, with identical results
(``comeforward_triage.native.AVAILABLE`` says which; ``comeforward triage run`` reports it).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "comeforward_triage._native",
            sources=[
                "src/comeforward_triage/_native.c",
                "src/comeforward_triage/reportwrite.c",
                "src/comeforward_triage/digests.c",
                "src/comeforward_triage/md5x2.c",
                "src/comeforward_triage/shax2.c",
                "src/comeforward_triage/vicsscan.c",
            ],
            depends=[
                "src/comeforward_triage/reportwrite.h",
                "src/comeforward_triage/digests.h",
                "src/comeforward_triage/md5x2.h",
                "src/comeforward_triage/shax2.h",
                "src/comeforward_triage/vicsscan.h",
            ],
            extra_compile_args=[
                "-O2",
                "-Wall",
                "-Wextra",
                "-Wno-unused-parameter",
                "-Werror=implicit",
            ],
            optional=True,
        )
    ]
)
