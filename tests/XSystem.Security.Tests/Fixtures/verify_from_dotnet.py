#!/usr/bin/env python3
"""The other interop direction: check values produced by XSystem.Security with Python's `cryptography`.

Usage: python3 verify_from_dotnet.py INPUT.json   (exit 0 and print OK when every check passes).
INPUT holds hex strings: x25519 {ourPrivateRaw, peerPublicRaw, shared}, ed25519 {publicRaw, message, signature},
xwje {key, plaintext, envelope} (AES-256-GCM, algorithm byte 0x00) and xwjePassword {password, plaintext, envelope}.
"""
import json
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC


def open_envelope(envelope: bytes, key: bytes | None = None, password: str | None = None) -> bytes:
    assert envelope[:4] == b"XWJE", "magic"
    assert envelope[4] == 1, "version"
    algo = envelope[5]
    nonce = envelope[6:18]
    salt_len = envelope[18]
    salt = envelope[19:19 + salt_len]
    ciphertext = envelope[19 + salt_len:]
    if key is None:
        key = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=100_000).derive(password.encode("utf-8"))
    cipher = AESGCM(key) if algo == 0 else ChaCha20Poly1305(key)
    return cipher.decrypt(nonce, ciphertext, None)


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    h = bytes.fromhex

    x = data["x25519"]
    ours = x25519.X25519PrivateKey.from_private_bytes(h(x["ourPrivateRaw"]))
    peer = x25519.X25519PublicKey.from_public_bytes(h(x["peerPublicRaw"]))
    assert ours.exchange(peer) == h(x["shared"]), "x25519 shared secret"

    e = data["ed25519"]
    ed25519.Ed25519PublicKey.from_public_bytes(h(e["publicRaw"])).verify(h(e["signature"]), h(e["message"]))

    w = data["xwje"]
    assert open_envelope(h(w["envelope"]), key=h(w["key"])) == h(w["plaintext"]), "xwje key"
    p = data["xwjePassword"]
    assert open_envelope(h(p["envelope"]), password=p["password"]) == h(p["plaintext"]), "xwje password"
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
