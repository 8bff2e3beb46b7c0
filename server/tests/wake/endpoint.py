"""A stand-in for a push service, on loopback, for the wake-up tests.

    python endpoint.py web_push|fcm|apns

It makes its keys, listens on 127.0.0.1 and prints one JSON line
{"ready": {...}} with the port and what the server under test needs (the
subscription's public keys, a VAPID key, a service account, an APNs key).
Then, for every request, it checks it as the real service would (with
implementations independent of the server's: http_ece, py-vapid, PyJWT,
cryptography) and prints {"request": {"kind", "errors": [...], "seen": {...}}}.
A line {"answer": {"status", "body", "headers"}} on stdin sets the answer to
the next push (not to token requests); it is acknowledged with {"queued": true}.
"""

import base64
import hashlib
import json
import queue
import re
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import jwt
import py_vapid.jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

PRINT = threading.Lock()
ANSWERS = queue.Queue()
ALLOWED_PAYLOAD = {"wake", "urgency"}
WAKE_WORD = re.compile(r"[a-z_]{1,32}")


def say(value):
    with PRINT:
        sys.stdout.write(json.dumps(value) + "\n")
        sys.stdout.flush()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def private_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def uncompressed(public_key):
    return public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def json_body(body, errors):
    try:
        return json.loads(body)
    except ValueError:
        errors.append("the body does not parse as JSON")
        return None


def check_payload(payload, errors):
    """A wake-up carries only a wake word and an urgency: no record content."""
    extra = set(payload) - ALLOWED_PAYLOAD
    if extra:
        errors.append(f"payload has more than a wake-up: {sorted(extra)}")
    if not WAKE_WORD.fullmatch(str(payload.get("wake", ""))):
        errors.append("payload's wake is not a short word")
    if payload.get("urgency") not in ("high", "normal"):
        errors.append("payload's urgency is not high or normal")


class WebPush:
    """RFC 8030 push resource: RFC 8291 decryption, RFC 8292 VAPID checks."""

    success = 201

    def __init__(self):
        self.ua_private = ec.generate_private_key(ec.SECP256R1())
        self.auth = secrets.token_bytes(16)
        self.vapid = ec.generate_private_key(ec.SECP256R1())

    def ready(self, port):
        self.origin = f"http://127.0.0.1:{port}"
        raw = self.vapid.private_numbers().private_value.to_bytes(32, "big")
        return {
            "p256dh": b64url(uncompressed(self.ua_private.public_key())),
            "auth": b64url(self.auth),
            "vapid_pem": private_pem(self.vapid),
            "vapid_raw": b64url(raw),
            "vapid_public": b64url(uncompressed(self.vapid.public_key())),
        }

    def check(self, request, body, errors, seen):
        headers = request.headers
        if request.command != "POST" or not request.path.startswith("/push/"):
            errors.append(f"not a POST to a push resource: {request.command} {request.path}")
        ttl = headers.get("TTL", "")
        if not ttl.isdigit() or not 0 < int(ttl) <= 28 * 86400:
            errors.append(f"TTL is not a number of seconds: {ttl!r}")
        seen["ttl"] = int(ttl) if ttl.isdigit() else None
        seen["urgency"] = headers.get("Urgency")
        if seen["urgency"] not in ("very-low", "low", "normal", "high"):
            errors.append("Urgency is not one of RFC 8030's")
        seen["topic"] = headers.get("Topic")
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", seen["topic"] or ""):
            errors.append("Topic is not at most 32 base64url characters")
        if headers.get("Content-Encoding") != "aes128gcm":
            errors.append("Content-Encoding is not aes128gcm")
        self.check_vapid(headers.get("Authorization", ""), errors, seen)
        # RFC 8188 header: salt(16) rs(4) idlen(1) keyid.
        if len(body) < 21 or int.from_bytes(body[16:20], "big") != 4096 or body[20] != 65:
            errors.append("the aes128gcm header is not rs 4096 with a 65-byte key id")
        try:
            plaintext = http_ece.decrypt(body, private_key=self.ua_private, auth_secret=self.auth, version="aes128gcm")
            seen["payload"] = json.loads(plaintext)
            check_payload(seen["payload"], errors)
        except Exception as error:  # noqa: BLE001 - any failure is the finding
            errors.append(f"does not decrypt: {type(error).__name__}: {error}")

    def check_vapid(self, authorization, errors, seen):
        scheme, _, rest = authorization.partition(" ")
        params = dict(part.strip().split("=", 1) for part in rest.split(",") if "=" in part)
        if scheme.lower() != "vapid" or "t" not in params or "k" not in params:
            errors.append("Authorization is not 'vapid t=…, k=…'")
            return
        token, key = params["t"], params["k"]
        if key != b64url(uncompressed(self.vapid.public_key())):
            errors.append("k is not the server's VAPID public key")
        try:
            claims = py_vapid.jwt.decode(token, key)  # verifies ES256 against k
        except Exception as error:  # noqa: BLE001
            errors.append(f"the VAPID signature does not verify: {type(error).__name__}")
            return
        header = json.loads(unb64url(token.split(".")[0]))
        if header.get("alg") != "ES256":
            errors.append("the VAPID JWT is not ES256")
        now = time.time()
        if claims.get("aud") != self.origin:
            errors.append(f"aud is not the endpoint's origin: {claims.get('aud')!r}")
        if not now < claims.get("exp", 0) <= now + 86400:
            errors.append("exp is not within 24 hours")
        sub = str(claims.get("sub", ""))
        if not (sub.startswith("mailto:") or sub.startswith("https:")):
            errors.append("sub is not mailto: or https:")
        seen["vapid"] = claims


class Fcm:
    """Google's OAuth token endpoint and FCM HTTP v1's messages:send."""

    success = 200
    scope = "https://www.googleapis.com/auth/firebase.messaging"

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.key_id = secrets.token_hex(20)
        self.issued = set()

    def ready(self, port):
        self.token_uri = f"http://127.0.0.1:{port}/token"
        self.account = {
            "type": "service_account",
            "project_id": "alongside-test",
            "private_key_id": self.key_id,
            "private_key": private_pem(self.key),
            "client_email": "wake@alongside-test.iam.gserviceaccount.com",
            "token_uri": self.token_uri,
        }
        return {"service_account": self.account}

    def is_push(self, request):
        return request.path != "/token"

    def token(self, request, body, errors, seen):
        if request.headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
            errors.append("the token request is not a form")
        form = urllib.parse.parse_qs(body.decode())
        if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"]:
            errors.append("grant_type is not the JWT bearer grant")
        assertion = (form.get("assertion") or [""])[0]
        try:
            header = jwt.get_unverified_header(assertion)
            claims = jwt.decode(assertion, self.key.public_key(), algorithms=["RS256"], audience=self.token_uri)
        except Exception as error:  # noqa: BLE001
            errors.append(f"the assertion does not verify: {type(error).__name__}: {error}")
            return None
        if header.get("kid") != self.key_id:
            errors.append("kid is not the service account's private_key_id")
        if claims.get("iss") != self.account["client_email"] or claims.get("scope") != self.scope:
            errors.append("iss or scope is wrong")
        if not 0 < claims["exp"] - claims["iat"] <= 3600 or abs(claims["iat"] - time.time()) > 300:
            errors.append("iat/exp are not now and within an hour")
        seen["claims"] = claims
        issued = secrets.token_urlsafe(24)
        self.issued.add(issued)
        return {"access_token": issued, "expires_in": 3599, "token_type": "Bearer"}

    def check(self, request, body, errors, seen):
        if request.command != "POST" or request.path != "/v1/projects/alongside-test/messages:send":
            errors.append(f"not messages:send of the project: {request.command} {request.path}")
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or token not in self.issued:
            errors.append("Authorization is not Bearer with an issued access token")
        if request.headers.get("Content-Type", "").split(";")[0] != "application/json":
            errors.append("the body is not JSON")
        sent = json_body(body, errors)
        if not isinstance(sent, dict):
            return
        message = sent.get("message", {}) if set(sent) == {"message"} else {}
        seen["message"] = message
        if set(message) - {"token", "data", "android"}:
            errors.append(f"the message has more than token, data, android: {sorted(message)}")
        if not message.get("token"):
            errors.append("no token")
        data = message.get("data", {})
        if not all(isinstance(value, str) for value in data.values()):
            errors.append("data values are not all strings")
        check_payload(data, errors)
        android = message.get("android", {})
        if android.get("priority") not in ("HIGH", "NORMAL") or not android.get("collapse_key"):
            errors.append("android.priority or collapse_key is missing")
        if not re.fullmatch(r"\d+s", str(android.get("ttl", "0s"))):
            errors.append("android.ttl is not a duration")


class Apns:
    """APNs' /3/device/{token} with token-based auth."""

    success = 200
    topic = "org.alongside.app"

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.team_id = secrets.token_hex(5).upper()
        self.key_id = secrets.token_hex(5).upper()

    def ready(self, port):
        return {"team_id": self.team_id, "key_id": self.key_id, "p8": private_pem(self.key), "topic": self.topic}

    def check(self, request, body, errors, seen):
        headers = request.headers
        match = re.fullmatch(r"/3/device/([0-9a-fA-F]+)", request.path)
        if request.command != "POST" or not match:
            errors.append(f"not a POST to /3/device/<token>: {request.path}")
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            errors.append("authorization is not bearer")
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, self.key.public_key(), algorithms=["ES256"], options={"require": ["iss", "iat"]})
            if header != {"alg": "ES256", "kid": self.key_id}:
                errors.append(f"the JWT header is not exactly alg and kid: {header}")
            if claims.get("iss") != self.team_id or abs(claims["iat"] - time.time()) > 3600:
                errors.append("iss is not the team id, or iat is older than an hour")
            seen["jwt"] = hashlib.sha256(token.encode()).hexdigest()[:16]
        except Exception as error:  # noqa: BLE001
            errors.append(f"the provider token does not verify: {type(error).__name__}: {error}")
        if headers.get("apns-topic") != self.topic:
            errors.append("apns-topic is not the bundle id")
        push_type, priority = headers.get("apns-push-type"), headers.get("apns-priority")
        seen["push_type"], seen["priority"] = push_type, priority
        if (push_type, priority) not in (("background", "5"), ("alert", "10")):
            errors.append("push type and priority are not background/5 or alert/10")
        seen["collapse_id"] = headers.get("apns-collapse-id")
        if not seen["collapse_id"] or len(seen["collapse_id"].encode()) > 64:
            errors.append("apns-collapse-id is missing or over 64 bytes")
        expiration = headers.get("apns-expiration", "")
        if not expiration.isdigit() or int(expiration) <= time.time():
            errors.append("apns-expiration is not a future time")
        payload = json_body(body, errors)
        if not isinstance(payload, dict):
            return
        aps = payload.pop("aps", None)
        seen["aps"], seen["payload"] = aps, payload
        check_payload(payload, errors)
        if push_type == "background" and aps != {"content-available": 1}:
            errors.append("a background push's aps is not just content-available")
        if push_type == "alert":
            aps = aps or {}
            alert = aps.get("alert", {})
            if aps.get("mutable-content") != 1 or set(alert) != {"title", "body"}:
                errors.append("an alert push lacks mutable-content or a title and body")


def serve(service):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            errors, seen = [], {}
            if not getattr(service, "is_push", lambda _: True)(self):
                granted = service.token(self, body, errors, seen)
                say({"request": {"kind": "token", "errors": errors, "seen": seen}})
                self.reply(200 if granted else 400, granted or {"error": "invalid_grant"}, {})
                return
            service.check(self, body, errors, seen)
            say({"request": {"kind": "push", "errors": errors, "seen": seen}})
            try:
                answer = ANSWERS.get_nowait()
            except queue.Empty:
                answer = {}
            self.reply(answer.get("status", service.success), answer.get("body"), answer.get("headers", {}))

        def reply(self, status, body, headers):
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            if data:
                self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    say({"ready": {"port": port, **service.ready(port)}})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for line in sys.stdin:
        ANSWERS.put(json.loads(line)["answer"])
        say({"queued": True})


if __name__ == "__main__":
    serve({"web_push": WebPush, "fcm": Fcm, "apns": Apns}[sys.argv[1]]())
