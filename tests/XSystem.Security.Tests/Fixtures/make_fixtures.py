#!/usr/bin/env python3
"""Generate interop fixtures for XSystem.Security with Python's `cryptography` package.

Run from this folder:  python3 make_fixtures.py  (writes python_fixtures.json).
The XWJE envelopes are built exactly as the Python xSystem original's at_rest.py does:
b"XWJE" + version 0x01 + algorithm byte + 12-byte nonce + salt length (1 byte) + salt + ciphertext||tag,
with the key from PBKDF2-HMAC-SHA256 (100,000 iterations, 32 bytes) when a password is used.
The fixtures are random on every run; commit the JSON file, the tests only read it.
"""
import base64
import json
import os

import cryptography
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC


def pbkdf2_sha256(password: bytes, salt: bytes, iterations: int = 100_000, length: int = 32) -> bytes:
    return PBKDF2HMAC(algorithm=hashes.SHA256(), length=length, salt=salt, iterations=iterations).derive(password)


def xwje(algo: int, plaintext: bytes, key: bytes | None = None, password: str | None = None) -> dict:
    salt = b""
    if key is None:
        salt = os.urandom(16)
        key = pbkdf2_sha256(password.encode("utf-8"), salt)
    nonce = os.urandom(12)
    cipher = AESGCM(key) if algo == 0 else ChaCha20Poly1305(key)
    ciphertext = cipher.encrypt(nonce, plaintext, None)
    envelope = b"XWJE" + bytes([1, algo]) + nonce + bytes([len(salt)]) + salt + ciphertext
    return {
        "algorithm": algo,
        "key": key.hex() if password is None else None,
        "password": password,
        "plaintext": plaintext.hex(),
        "envelope": envelope.hex(),
    }


def pem_private(key) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def pem_public(key) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def main() -> None:
    alice = x25519.X25519PrivateKey.generate()
    bob = x25519.X25519PrivateKey.generate()
    shared = alice.exchange(bob.public_key())
    hkdf_info = b"xsystem interop v1"
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=hkdf_info).derive(shared)

    signer = ed25519.Ed25519PrivateKey.generate()
    message = b"XSystem interop: signed by Python cryptography"
    signature = signer.sign(message)

    argon_salt = os.urandom(16)
    argon_password = b"correct horse battery staple"
    argon = Argon2id(salt=argon_salt, length=32, iterations=2, lanes=1, memory_cost=19456).derive(argon_password)

    legacy_salt = os.urandom(32)
    legacy_key = pbkdf2_sha256(b"hunter2-legacy", legacy_salt)
    legacy = "pbkdf2:100000:" + base64.b64encode(legacy_salt).decode() + ":" + base64.b64encode(legacy_key).decode()

    fixtures = {
        "generator": f"python cryptography {cryptography.__version__}",
        "x25519": {
            "alicePrivateRaw": alice.private_bytes_raw().hex(),
            "alicePrivatePem": pem_private(alice),
            "alicePublicRaw": alice.public_key().public_bytes_raw().hex(),
            "bobPublicRaw": bob.public_key().public_bytes_raw().hex(),
            "bobPublicPem": pem_public(bob.public_key()),
            "shared": shared.hex(),
            "hkdfInfo": hkdf_info.hex(),
            "hkdfSha256Key": derived.hex(),
        },
        "ed25519": {
            "privateRaw": signer.private_bytes_raw().hex(),
            "privatePem": pem_private(signer),
            "privateDer": signer.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).hex(),
            "publicRaw": signer.public_key().public_bytes_raw().hex(),
            "publicPem": pem_public(signer.public_key()),
            "message": message.hex(),
            "signature": signature.hex(),
        },
        "argon2id": {
            "password": argon_password.hex(),
            "salt": argon_salt.hex(),
            "memoryKiB": 19456,
            "iterations": 2,
            "parallelism": 1,
            "output": argon.hex(),
        },
        "legacyPasswordHash": {"password": "hunter2-legacy", "hash": legacy},
        "xwje": [
            xwje(0, b"hello from python, AES-256-GCM with a key", key=AESGCM.generate_key(bit_length=256)),
            xwje(0, b"hello from python, AES-256-GCM with a password", password="pa55word-\u00e9"),
            xwje(1, b"hello from python, ChaCha20-Poly1305 with a key", key=ChaCha20Poly1305.generate_key()),
            xwje(1, b"hello from python, ChaCha20-Poly1305 with a password", password="another password"),
        ],
    }
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "python_fixtures.json"), "w", encoding="utf-8") as f:
        json.dump(fixtures, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
