#!/usr/bin/env python3
"""Print the invitation token of every .eml file in a folder, one per line, for
benches/invited.lua: the 64 hex characters of the personal link `/i/{token}` in each message.
Checks that every file holds exactly one distinct token; exits 1 otherwise.

    benches/invite_tokens.py MAIL_DIR > tokens.txt"""
import email, email.policy, os, re, sys

LINK = re.compile(rb"/i/([0-9a-f]{64})(?![0-9a-f])")

def token_of(raw: bytes) -> bytes | None:
    # Fast path: the link in the raw message, quoted-printable soft line breaks undone.
    found = set(LINK.findall(raw.replace(b"=\r\n", b"").replace(b"=\n", b"")))
    if not found:
        # Whatever the transfer encoding, the decoded parts hold the link.
        message = email.message_from_bytes(raw, policy=email.policy.default)
        for part in message.walk():
            if part.get_content_maintype() == "text":
                found |= set(LINK.findall(part.get_content().encode()))
    return found.pop() if len(found) == 1 else None

def main(folder: str) -> int:
    tokens, bad = set(), []
    out = sys.stdout.buffer
    for entry in os.scandir(folder):
        if not entry.name.endswith(".eml"):
            continue
        with open(entry.path, "rb") as f:
            token = token_of(f.read())
        if token is None or token in tokens:
            bad.append(entry.name)
            continue
        tokens.add(token)
        out.write(token + b"\n")
    if bad:
        print(f"invite_tokens: {len(bad)} message(s) without one new token, e.g. {bad[0]}", file=sys.stderr)
        return 1
    print(f"invite_tokens: {len(tokens)} tokens", file=sys.stderr)
    return 0

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
