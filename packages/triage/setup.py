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
            sources=["src/comeforward_triage/_native.c", "src/comeforward_triage/md5x2.c"],
            depends=["src/comeforward_triage/md5x2.h"],
            # MD5_CTX and MD5_Update: deprecated in OpenSSL 3 but kept; md5x2 runs on the state
            define_macros=[("OPENSSL_SUPPRESS_DEPRECATED", None)],
            libraries=["crypto"],
            extra_compile_args=["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
            optional=True,
        )
    ]
)
