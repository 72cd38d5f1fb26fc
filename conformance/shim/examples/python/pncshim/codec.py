"""Encodings of spec §0.3: base64 (strict / CPython-lenient), base64url, hex, JSON.

Every decoder takes the profile name because strictness is per profile: seed-spec and hardened
are strict; sdk-compat reproduces what the upstream Python SDK accepts.
"""
import base64
import binascii
import json
import re
import sys

STRICT_PROFILES = ("seed-spec", "hardened")
MAX_JSON_DEPTH = 64          # §0.3 [SEED]
COMPAT_JSON_DEPTH = 1000     # DEC-02: bound in sdk-compat too (Python's own recursion limit)
# json.loads recurses once per level; depth is checked before parsing, so this limit is enough.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * COMPAT_JSON_DEPTH))


class Rejected(Exception):
    """The input was refused; `code` is a short stable reason such as 'b64.bad_char'."""

    def __init__(self, code, detail=""):
        super().__init__(code if not detail else f"{code}: {detail}")
        self.code = code


def strict(profile):
    return profile in STRICT_PROFILES


# ---- text <-> bytes -------------------------------------------------------------------------
# Requests are read with surrogateescape, so invalid UTF-8 bytes on the wire survive as lone
# surrogates; `wire_bytes` gives the exact bytes back, `is_utf8` tells whether they were valid.

def wire_bytes(text):
    return text.encode("utf-8", "surrogateescape")


def byte_length(text):
    """Length of the wire bytes; ASCII text (the common case, also 16 MiB frames) is not copied."""
    return len(text) if text.isascii() else len(wire_bytes(text))


def is_utf8(text):
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


# ---- base64 (RFC 4648 §4) ---------------------------------------------------------------------

_B64_CHARS = re.compile(r"\A[A-Za-z0-9+/]*={0,2}\Z")


def b64_decode(text, profile="seed-spec", length=None):
    if not isinstance(text, str):
        raise Rejected("b64.not_string")
    if strict(profile):
        if not _B64_CHARS.match(text) or len(text) % 4 != 0:
            raise Rejected("b64.bad_format")
        try:
            out = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise Rejected("b64.bad_format")
        if base64.b64encode(out).decode("ascii") != text:
            raise Rejected("b64.non_canonical")
    else:
        # sdk-compat: exactly Python's base64.b64decode without validate=True (the SDK's call).
        try:
            out = base64.b64decode(text)
        except (binascii.Error, ValueError):
            raise Rejected("b64.bad_format")
    if length is not None and len(out) != length:
        raise Rejected("b64.bad_length")
    return out


def b64_encode(data):
    return base64.b64encode(data).decode("ascii")


# ---- base64url without padding (RFC 4648 §5; MinerToken) ---------------------------------------

_B64URL_CHARS = re.compile(r"\A[A-Za-z0-9_-]*\Z")


def b64url_decode(text):
    if not isinstance(text, str) or not _B64URL_CHARS.match(text) or len(text) % 4 == 1:
        raise Rejected("b64url.bad_format")
    try:
        out = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise Rejected("b64url.bad_format")
    if b64url_encode(out) != text:
        raise Rejected("b64url.non_canonical")
    return out


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


# ---- hex ---------------------------------------------------------------------------------------

_HEX_CHARS = re.compile(r"\A[0-9a-fA-F]*\Z")


def hex_decode(text, profile="seed-spec", length=None):
    if not isinstance(text, str):
        raise Rejected("hex.not_string")
    if strict(profile):
        if not _HEX_CHARS.match(text) or len(text) % 2 != 0:
            raise Rejected("hex.bad_format")
        if length is not None and len(text) != 2 * length:
            raise Rejected("hex.bad_length")
        return bytes.fromhex(text)
    try:
        out = bytes.fromhex(text)          # sdk-compat: the SDK's bytes.fromhex (DEC-04)
    except ValueError:
        raise Rejected("hex.bad_format")
    if length is not None and len(out) != length:
        raise Rejected("hex.bad_length")
    return out


def arg_hex(args, name, length=None):
    """A binary request argument (always lowercase hex from the runner)."""
    value = args.get(name)
    if not isinstance(value, str):
        raise Rejected("args.missing", name)
    try:
        out = bytes.fromhex(value)
    except ValueError:
        raise Rejected("args.bad_hex", name)
    if length is not None and len(out) != length:
        raise Rejected("args.bad_length", name)
    return out


# ---- JSON (RFC 8259 + §0.3) --------------------------------------------------------------------

def _no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise Rejected("json.duplicate", key)
        obj[key] = value
    return obj


def _reject_constant(name):
    raise Rejected("json.non_finite", name)


def _bracket_depth(text):
    """Deepest nesting of [ and { outside strings (a top-level container is depth 1)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def json_parse(text, profile="seed-spec", want_object=False):
    """Parses JSON text per §0.3 in `profile`; raises Rejected."""
    if not isinstance(text, str):
        raise Rejected("json.not_string")
    if not is_utf8(text):
        raise Rejected("json.bad_utf8")
    limit = MAX_JSON_DEPTH if strict(profile) else COMPAT_JSON_DEPTH
    if text.count("[") + text.count("{") > limit and _bracket_depth(text) > limit:   # before parsing
        raise Rejected("json.too_deep")
    hooks = {"parse_constant": _reject_constant}     # NaN/Infinity: DEC-01, every profile
    if strict(profile):
        hooks["object_pairs_hook"] = _no_duplicates
    try:
        value = json.loads(text, **hooks)
    except Rejected:
        raise
    except (ValueError, RecursionError):
        raise Rejected("json.syntax")
    if _has_lone_surrogate(value):                   # DEC-61: every profile
        raise Rejected("json.bad_utf8")
    if want_object and not isinstance(value, dict):
        raise Rejected("json.not_object")
    return value


def _has_lone_surrogate(value):
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not is_utf8(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def compact(value):
    """Compact JSON text (Rust / reference style)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def member(obj, name, kind):
    """Required member of a given JSON type: 'string', 'int', 'object', 'array', 'bool'."""
    if not isinstance(obj, dict) or name not in obj:
        raise Rejected("json.missing_member", name)
    value = obj[name]
    ok = {
        "string": isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "bool": isinstance(value, bool),
    }[kind]
    if not ok:
        raise Rejected("json.wrong_type", name)
    return value
