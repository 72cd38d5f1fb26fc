"""The WebSocket attestation handshake (§3, §4): the challenge's server machine (§3.5) and the
validator's client machine (§3.6). Pure logic: frames in, frames out, no sockets.

Each input returns a Step: the frames sent, the state and the close code. Randomness comes from
a byte script (`Rng`) so that transcripts are reproducible; a real SDK passes os.urandom.
"""
import os

from . import codec, crypto, envelope, quotes
from .codec import Rejected, strict

INFO = b"platform-api-sdk-v1"
MAX_HANDSHAKE_FRAME = 1024 * 1024       # §10 [SEED]
KX_LABEL = b"pnc-kx-v1"                 # §3.4 [HARD]
AEAD = "chacha20poly1305"
AEAD_DIR = "chacha20poly1305-dir"       # [HARD] directional keys (§4, DEC-12)


class Rng:
    """Draws from a scripted byte string first, then from the OS CSPRNG."""

    def __init__(self, script=b""):
        self.script = script

    def take(self, n):
        out, self.script = self.script[:n], self.script[n:]
        return out + os.urandom(n - len(out))


def derive_keys(shared, salt, profile):
    """§4: (receive key of the server, receive key of the client) — one K unless [HARD]."""
    if profile == "hardened":
        return (crypto.hkdf_sha256(shared, salt, INFO + b"/c2s"), crypto.hkdf_sha256(shared, salt, INFO + b"/s2c"))
    k = crypto.hkdf_sha256(shared, salt, INFO)
    return k, k


class Step:
    def __init__(self):
        self.sent, self.state, self.close, self.reason = [], "handshaking", None, None

    def result(self):
        out = {"sent": self.sent, "state": self.state, "close": self.close}
        if self.reason:
            out["reason"] = self.reason
        return out


class Abort(Exception):
    """Ends the handshake: `close` code, optional attestation_reject `reply` text."""

    def __init__(self, reason, close, reply=None):
        super().__init__(reason)
        self.reason, self.close, self.reply = reason, close, reply


class Machine:
    """What the server and client machines share: framing rules, closing, the channel."""

    def __init__(self, profile, mode, env_mode, rng, expected_compose_hash=None, dcap="reject"):
        self.profile, self.mode, self.env_mode, self.rng = profile, mode, env_mode, rng
        self.expected_compose_hash, self.dcap = expected_compose_hash, dcap
        self.state = "handshaking"
        self.channel = None

    @property
    def strict(self):
        return strict(self.profile)

    def input(self, text=None, binary=False, timeout=False):
        step = Step()
        if self.state != "handshaking":
            step.state = self.state
            return step
        try:
            if timeout:
                if self.strict:
                    raise Abort("hs.deadline", 1008)                 # §3.5 S0 / DEC-12: no reject
            elif binary:
                self.on_binary()
            else:
                self.on_text(text, step)
        except Abort as abort:
            if abort.reply is not None:
                step.sent.append(codec.compact({"type": "attestation_reject", "reason": abort.reply}))
            self.state, step.close, step.reason = "closed", abort.close, abort.reason
        step.state = self.state
        return step

    def on_binary(self):
        raise Abort("hs.binary_frame", 1003 if self.strict else 1000)

    def parse(self, text, expected_type):
        """A handshake frame: size, JSON object, type; returns the message."""
        if self.strict and codec.byte_length(text) > MAX_HANDSHAKE_FRAME:
            raise Abort("hs.too_large", 1009)
        try:
            msg = codec.json_parse(text, self.profile, want_object=True)
        except Rejected as err:
            if err.code == "json.not_object":
                self.refuse("hs.expected_" + expected_type.split("_")[1], "expected " + expected_type)
            self.refuse("hs.bad_json", "invalid JSON", close=1007)
        if msg.get("type") == "attestation_reject":
            raise Abort("hs.peer_rejected", 1000)                    # DEC-12: closes, no reply
        if msg.get("type") != expected_type:
            self.refuse("hs.expected_" + expected_type.split("_")[1], "expected " + expected_type)
        return msg

    def refuse(self, reason, text, close=1008):
        """[SEED] attestation_reject + close; [COMPAT] the SDK closes without a message."""
        if self.strict:
            raise Abort(reason, close, text)
        raise Abort(reason, 1000)

    def own_quote(self, nonce, upper):
        quote, log, rtmrs = quotes.mock_quote(nonce, self.env_mode, upper)
        return codec.b64_encode(quote), log, rtmrs

    def probe(self, frame):
        if self.state != "established":
            raise Rejected("hs.not_established")
        return self.channel.receive(frame)


class ServerMachine(Machine):
    """The challenge (§3.5)."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.awaiting = "attestation_begin"

    def on_text(self, text, step):
        if self.awaiting == "attestation_begin":
            self.on_begin(self.parse(text, "attestation_begin"), step)
        else:
            self.on_ok(self.parse(text, "attestation_ok"))

    def on_begin(self, msg, step):
        nonce_hex, val_pub_b64 = msg.get("nonce"), msg.get("val_x25519_pub")          # S2
        if not isinstance(nonce_hex, str) or not isinstance(val_pub_b64, str):
            self.refuse("hs.missing_field", "missing nonce or val_x25519_pub")
        try:
            nonce = codec.hex_decode(nonce_hex, self.profile, 32 if self.strict else None)
        except Rejected:
            self.refuse("hs.bad_nonce", "invalid nonce")
        self.val_pub_b64 = val_pub_b64
        if self.strict:
            try:
                self.val_pub = codec.b64_decode(val_pub_b64, self.profile, 32)
            except Rejected:
                self.refuse("hs.bad_key", "invalid val_x25519_pub")
        self.verify_client(msg, nonce)                                                # S3
        chal_sk = self.rng.take(32)                                                   # S4
        chal_pub = crypto.x25519_public(chal_sk)
        upper = bytes(32)
        if self.profile == "hardened":
            upper = crypto.sha256(KX_LABEL + self.val_pub + chal_pub)
        quote_b64, log, rtmrs = self.own_quote(nonce, upper)
        step.sent.append(codec.compact({"type": "attestation_response", "quote": quote_b64, "event_log": log,
                                        "rtmrs": rtmrs, "chal_x25519_pub": codec.b64_encode(chal_pub)}))   # S5
        self.chal_sk = chal_sk
        self.awaiting = "attestation_ok"

    def verify_client(self, msg, nonce):
        quote, log = msg.get("val_quote"), msg.get("val_event_log")
        if quote in (None, ""):                                                       # DEC-12: absent
            if self.mode == "mock":
                return
            self.refuse("hs.quote_required", "Validator quote required for mutual attestation")
        if self.strict and (not isinstance(quote, str) or (log is not None and not isinstance(log, str))):
            self.refuse("hs.bad_field", "invalid val_quote or val_event_log")
        binding = crypto.sha256(KX_LABEL + self.val_pub) if self.profile == "hardened" else None
        try:
            quotes.verify_peer(quote, log, nonce, self.env_mode, self.mode, self.profile, key_binding=binding,
                               expected_compose_hash=self.expected_compose_hash, dcap=self.dcap)
        except Rejected as err:
            if not self.strict and self.mode == "mock":
                return                                                                # D-06: SDK waives all
            if self.strict:
                raise Abort(err.code, 1008, str(err))
            raise Abort(err.code, 1000, str(err))                                     # COMPAT reject + 1000

    def on_ok(self, msg):                                                             # S6
        if self.strict:
            expected_aead = AEAD_DIR if self.profile == "hardened" else AEAD
            if msg.get("aead") != expected_aead:
                self.refuse("hs.bad_aead", "unsupported aead")
            salt_b64 = msg.get("hkdf_salt")
            if not isinstance(salt_b64, str) or not salt_b64:
                self.refuse("hs.missing_salt", "missing hkdf_salt")
            try:
                salt = codec.b64_decode(salt_b64, self.profile, 32)
            except Rejected:
                self.refuse("hs.bad_salt", "invalid hkdf_salt")
            val_pub = self.val_pub
        else:
            salt_b64 = msg.get("hkdf_salt")
            if not isinstance(salt_b64, str) or not salt_b64:
                salt_b64 = msg.get("hkdf_salt_b64")                                   # D-09
            if not isinstance(salt_b64, str) or not salt_b64:
                raise Abort("hs.missing_salt", 1000)
            try:
                salt = codec.b64_decode(salt_b64, self.profile)
                val_pub = codec.b64_decode(self.val_pub_b64, self.profile, 32)
            except Rejected:
                raise Abort("hs.bad_key", 1000)
        try:
            shared = crypto.x25519(self.chal_sk, val_pub)
        except Rejected:
            raise Abort("hs.low_order", 1008 if self.strict else 1000)
        recv_key, send_key = derive_keys(shared, salt, self.profile)
        self.channel = envelope.Channel(self.profile, recv_key, send_key)
        self.chal_sk = None                                                           # erase (DEC-12)
        self.state = "established"


class ClientMachine(Machine):
    """The validator (§3.6)."""

    def start(self, step):
        self.nonce = self.rng.take(32)                                                # C1
        self.val_sk = self.rng.take(32)
        self.val_pub = crypto.x25519_public(self.val_sk)
        upper = crypto.sha256(KX_LABEL + self.val_pub) if self.profile == "hardened" else bytes(32)
        quote_b64, log, rtmrs = self.own_quote(self.nonce, upper)
        step.sent.append(codec.compact({"type": "attestation_begin", "nonce": self.nonce.hex(),       # C2
                                        "val_x25519_pub": codec.b64_encode(self.val_pub), "val_quote": quote_b64,
                                        "val_event_log": log, "val_rtmrs": rtmrs}))

    def on_binary(self):
        if self.strict:
            raise Abort("hs.binary_frame", 1003)
        # VAL and the platform API skip non-text frames.

    def on_text(self, text, step):
        msg = self.parse(text, "attestation_response")                                # C3
        quote = msg.get("quote")
        if not isinstance(quote, str):                                                # C4.1
            self.refuse("hs.missing_quote", "missing quote")
        try:                                                                          # C4.2
            chal_pub = codec.b64_decode(msg.get("chal_x25519_pub"), "seed-spec", 32)
        except Rejected:
            self.refuse("hs.bad_key", "invalid chal_x25519_pub")
        self.verify_server(quote, msg.get("event_log"), chal_pub)                      # C4.3-5
        try:                                                                          # C4.6
            shared = crypto.x25519(self.val_sk, chal_pub)
        except Rejected:
            if self.strict:
                self.refuse("hs.low_order", "invalid key exchange")
            shared = bytes(32)              # D-33: x25519-dalek has no contributory check (quirk)
        salt = self.rng.take(32)                                                      # C4.7
        server_recv, client_recv = derive_keys(shared, salt, self.profile)
        self.channel = envelope.Channel(self.profile, client_recv, server_recv)
        step.sent.append(codec.compact({"type": "attestation_ok",                                    # C5
                                        "aead": AEAD_DIR if self.profile == "hardened" else AEAD,
                                        "hkdf_salt": codec.b64_encode(salt)}))
        self.val_sk = None
        self.state = "established"

    def verify_server(self, quote, log, chal_pub):
        binding = crypto.sha256(KX_LABEL + self.val_pub + chal_pub) if self.profile == "hardened" else None
        if self.strict:
            try:
                quotes.verify_peer(quote, log, self.nonce, self.env_mode, self.mode, self.profile, key_binding=binding,
                                   expected_compose_hash=self.expected_compose_hash, dcap=self.dcap)
            except Rejected as err:
                raise Abort(err.code, 1008, str(err))
            return
        # [COMPAT] VAL: the mock VMM waives quote failures, not environment or compose hash (DEC-11).
        try:
            quotes.verify_peer(quote, None, self.nonce, self.env_mode, "mock", self.profile)
        except Rejected as err:
            if self.mode != "mock":
                raise Abort(err.code, 1000, str(err))
        try:
            quotes.check_environment(log, self.env_mode, self.mode, self.profile)
            if self.expected_compose_hash is not None:
                quotes.compose_hash_check(log, self.expected_compose_hash)
        except Rejected as err:
            raise Abort(err.code, 1000, str(err))


class Sessions:
    """Handshake machines keyed by the runner's session id; at most `limit`, oldest evicted."""

    def __init__(self, limit=64):
        self.limit, self.machines = limit, {}

    def start(self, session, role, profile, mode, env_mode, rng, expected_compose_hash=None, dcap="reject"):
        cls = ServerMachine if role == "server" else ClientMachine
        machine = cls(profile, mode, env_mode, Rng(rng), expected_compose_hash, dcap)
        self.machines.pop(session, None)
        while len(self.machines) >= self.limit:
            self.machines.pop(next(iter(self.machines)))
        self.machines[session] = machine
        step = Step()
        if role == "client":
            machine.start(step)
        return step

    def get(self, session):
        machine = self.machines.get(session)
        if machine is None:
            raise Rejected("hs.unknown_session")
        return machine

    def end(self, session):
        self.machines.pop(session, None)
