"""Sums `nm --print-size --demangle=rust` output by where each symbol comes from:
the Rust crate of a Rust symbol, or the C library of a C symbol. C symbols are
looked up in the static archives the build linked (arguments `label=path.a`),
then by name prefix. An approximation: inlined code is counted where it
landed, and anonymous data has no symbol."""

import re
import subprocess
import sys
from collections import Counter

# Symbol names defined in each C archive the build linked, first archive first.
ARCHIVES = []
for argument in sys.argv[1:]:
    label, path = argument.split("=", 1)
    listing = subprocess.run(["nm", "--defined-only", path], capture_output=True, text=True, check=False).stdout
    names = {line.split()[-1] for line in listing.splitlines() if len(line.split()) == 3}
    ARCHIVES.append((label, names))

# C symbols (no Rust path) by prefix.
C_ORIGINS = [
    ("sqlcipher (SQLite + cipher)", re.compile(r"^_?(sqlite3|sqlcipher|Sqlite|fts5|fts3|rtree|geopoly|json|zero|yy|vdbe|btree|pager|wal)", re.I)),
    ("ring (C/asm)", re.compile(r"^_?ring_core_")),
]

RUST_PATH = re.compile(r"^<?(?:&(?:mut )?)?\[?([a-z_][a-z0-9_]*)::")


def origin(name: str) -> str:
    match = RUST_PATH.match(name)
    if match:
        crate = match.group(1)
        if crate in ("core", "alloc", "std"):
            return "rust std/core/alloc"
        return crate
    for label, names in ARCHIVES:
        if name in names:
            return label
    for label, pattern in C_ORIGINS:
        if pattern.match(name):
            return label
    return "other C / unattributed"


sizes: Counter = Counter()
for line in sys.stdin:
    parts = line.rstrip("\n").split(" ", 3)
    if len(parts) != 4 or parts[2] not in "TtRrDdBb":
        continue
    if parts[2] in "Bb":  # zero-initialised data takes no room in the file
        continue
    sizes[origin(parts[3])] += int(parts[1], 16)

total = sum(sizes.values())
for name, size in sizes.most_common(18):
    print(f"  {name:<32} {size:>10,} bytes  {100 * size / total:5.1f}%")
print(f"  {'(symbols counted)':<32} {total:>10,} bytes")
crypto = sum(sizes[k] for k in ["ring (C/asm)", "ring", "aes", "cbc", "alongside_cipher"])
tls = sum(sizes[k] for k in ["rustls", "webpki", "rustls_webpki", "webpki_roots"])
print()
print(f"  crypto, one library for SQLCipher and TLS: ring + aes {crypto:,} bytes; TLS on top of it (rustls, webpki) {tls:,} bytes")
