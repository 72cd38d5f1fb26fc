"""MinerToken verification (§7.2) and the challenge's miner identity (§7.4)."""
import re

from . import codec, crypto
from .codec import Rejected, strict

MAX_TOKEN = 4096
MAX_LIFETIME = 3600
READ_ONLY_ROUTES = ("get_agent_status", "list_agents", "list_agent_jobs")   # D-37
_CLAIMS = {"iss": "string", "aud": "string", "miner_hotkey": "string", "uid": "string", "job_id": "string",
           "challenge_id": "string", "job_type": "string", "iat": "int", "exp": "int", "jti": "string"}
TOKEN_INFO = ("uid", "miner_hotkey", "job_id", "challenge_id", "job_type")


class TokenVerifier:
    """A verifier configured with the issuer key, issuer id and audience; optional jti cache."""

    def __init__(self, issuer_public, issuer, audience, leeway=30, replay_cache=False):
        self.issuer_public, self.issuer, self.audience = issuer_public, issuer, audience
        self.leeway = leeway
        self.seen_jti = {} if replay_cache else None        # jti -> kept until exp + leeway

    def verify(self, token, now):
        """Returns the token_info dict; raises Rejected with a token.* code."""
        if not isinstance(token, str) or codec.byte_length(token) > MAX_TOKEN:      # 1
            raise Rejected("token.too_long")
        parts = token.split(".")
        if len(parts) != 3 or not all(parts):
            raise Rejected("token.bad_format")
        try:                                                                            # 2
            header_raw, payload_raw, sig = (codec.b64url_decode(p) for p in parts)
        except Rejected:
            raise Rejected("token.bad_encoding")
        header = self._json(header_raw)                                                 # 3
        if header.get("alg") != "EdDSA" or header.get("typ") != "MinerToken" or "crit" in header:
            raise Rejected("token.bad_header")
        if "kid" in header and not isinstance(header["kid"], str):
            raise Rejected("token.bad_header")
        if len(sig) != 64:                                                              # 4
            raise Rejected("token.bad_signature")
        try:
            crypto.ed25519_verify(self.issuer_public, (parts[0] + "." + parts[1]).encode("ascii"), sig)
        except Rejected:
            raise Rejected("token.bad_signature")
        claims = self._json(payload_raw)                                                # 5
        try:
            for name, kind in _CLAIMS.items():
                codec.member(claims, name, kind)
            if "nbf" in claims:
                codec.member(claims, "nbf", "int")
        except Rejected:
            raise Rejected("token.bad_claims")
        if not 1 <= len(claims["miner_hotkey"]) <= 64 or not 16 <= len(claims["jti"]) <= 128:
            raise Rejected("token.bad_claims")
        if claims["uid"] and not re.fullmatch(r"[0-9]+", claims["uid"]):
            raise Rejected("token.bad_claims")
        lw = self.leeway                                                                # 6
        if not claims["exp"] > now - lw:
            raise Rejected("token.expired")
        if claims["iat"] > now + lw or ("nbf" in claims and claims["nbf"] > now + lw):
            raise Rejected("token.not_yet_valid")
        if not claims["iat"] < claims["exp"] or claims["exp"] - claims["iat"] > MAX_LIFETIME:
            raise Rejected("token.bad_lifetime")
        if claims["iss"] != self.issuer:                                                # 7
            raise Rejected("token.bad_issuer")
        if claims["aud"] != self.audience or claims["challenge_id"] != self.audience:
            raise Rejected("token.bad_audience")
        if self.seen_jti is not None:                                                   # 8
            self.seen_jti = {j: t for j, t in self.seen_jti.items() if t >= now}
            if claims["jti"] in self.seen_jti:
                raise Rejected("token.replay")
            self.seen_jti[claims["jti"]] = claims["exp"] + lw
        return {k: claims[k] for k in TOKEN_INFO}

    @staticmethod
    def _json(raw):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Rejected("token.bad_json")
        try:
            return codec.json_parse(text, "seed-spec", want_object=True)
        except Rejected:
            raise Rejected("token.bad_json")


def resolve_identity(route, headers, dev_mode, authenticated, challenge_id, routes, profile):
    """§7.4 token_info for /sdk/public/{route}; raises Rejected (401, or 404 for unknown routes)."""
    values, counts = {}, {}
    for name, value in headers:
        key = name.lower()
        counts[key] = counts.get(key, 0) + 1
        values.setdefault(key, value)
    verified = values.get("x-verified-miner-hotkey")
    claims_identity = any(k.startswith("x-verified-") for k in values)
    if strict(profile):
        if claims_identity and not authenticated:
            raise Rejected("identity.unauthenticated")          # D-23, DEC-16: even on read-only routes
        if any(counts[k] > 1 for k in counts if k.startswith("x-verified-") or k in ("x-job-id", "x-miner-hotkey")):
            raise Rejected("identity.repeated_header")
    if verified:                                  # the SDK tests truthiness: "" is absent
        info = {"uid": "verified-uid", "miner_hotkey": verified, "job_id": values.get("x-job-id", ""),
                "challenge_id": challenge_id or "challenge", "job_type": ""}
        if strict(profile) and "x-verified-miner-uid" in values:
            info["uid"] = values["x-verified-miner-uid"]
    elif route in READ_ONLY_ROUTES:
        info = {"uid": "public-readonly-uid", "miner_hotkey": values.get("x-miner-hotkey", "public"), "job_id": "",
                "challenge_id": challenge_id or "challenge", "job_type": ""}
    elif dev_mode:
        info = {"uid": "dev-uid", "miner_hotkey": values.get("x-miner-hotkey", "dev-miner"), "job_id": "",
                "challenge_id": challenge_id or "dev-challenge", "job_type": ""}
    else:
        raise Rejected("identity.unauthenticated")
    if route not in routes:
        raise Rejected("identity.unknown_route")
    return info
