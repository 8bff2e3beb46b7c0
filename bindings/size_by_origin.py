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
    ("openssl libcrypto", re.compile(r"^_?(OPENSSL|ossl|EVP|BN|EC|ECDSA|ECDH|RSA|DSA|DH|X509|ASN1|PEM|BIO|ERR|CRYPTO|OBJ|SHA|MD5|AES|CMAC|HMAC|RAND|PKCS|CONF|ENGINE|OSSL|UI|X25519|ED25519|ED448|X448|CRYPTO|EC_|PROV|SM2|SM3|SM4|ARIA|CAMELLIA|CHACHA|Poly1305|DES|RC4|RC2|BF|CAST|IDEA|SEED|WHIRLPOOL|RIPEMD|MDC2|OCSP|CMS|CT|TS|SRP|CRYPTO_|ossl_|bn_|ec_|rsa_|dh_|dsa_|x509|asn1|evp|aes|sha|md5|poly1305|chacha|gcm|ecp_|x25519|ed25519|curve448|sm2|sm4|aria|camellia|des_|rc4|cast|idea|ripemd|whirlpool|keccak|ssl)")),
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
openssl = sizes["openssl libcrypto"] + sizes["openssl libssl"]
rustls_side = sum(sizes[k] for k in ["ring (C/asm)", "ring", "rustls", "webpki", "rustls_webpki", "webpki_roots"])
print()
print(f"  crypto twice: OpenSSL (for SQLCipher) {openssl:,} bytes; ring + rustls + webpki (for TLS) {rustls_side:,} bytes")
