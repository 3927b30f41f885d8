"""Builds the native walk-and-hash core, ``comeforward_triage._native`` (ADR 0102, addendum 3).

It links the system OpenSSL (``libcrypto``, the library Python's ``hashlib`` uses). The
extension is optional: where it cannot be built (no C compiler or OpenSSL headers) the package
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
                "src/comeforward_triage/md5x2.c",
                "src/comeforward_triage/shax2.c",
            ],
            depends=["src/comeforward_triage/md5x2.h", "src/comeforward_triage/shax2.h"],
            # MD5/SHA1/SHA256 contexts: deprecated in OpenSSL 3 but kept; the paired code runs on
            # their state
            define_macros=[("OPENSSL_SUPPRESS_DEPRECATED", None)],
            libraries=["crypto"],
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
