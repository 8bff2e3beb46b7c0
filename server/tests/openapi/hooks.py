"""Schemathesis hooks for run.sh: signs in as the role that gets furthest
into each operation, through the API's own login.

A token is fetched once per role and kept. Schemathesis calls logout (and may
revoke a device) with it like any other operation; the next request then gets
401, and schemathesis (retry_on, by default 401) drops the token, signs in
again through `get` and sends that request once more. So no operation has to
be left out to keep the run signed in.

The users are made by run.sh with the server's CLI; their names and the
password come in the environment. Tokens are never printed.
"""

import os

import requests
import schemathesis

URL = os.environ["ALONGSIDE_OPENAPI_URL"]
PASSWORD = os.environ["ALONGSIDE_OPENAPI_PASSWORD"]
USERNAMES = {
    "participant": os.environ["ALONGSIDE_OPENAPI_PARTICIPANT"],
    "peer_worker": os.environ["ALONGSIDE_OPENAPI_PEER_WORKER"],
    "admin": os.environ["ALONGSIDE_OPENAPI_ADMIN"],
}


def role_for(case, _context=None):
    """Whose token reaches past the role checks: admins for their routes and
    for reading anyone's audit trail and peer workers' devices, peer workers
    for invites and their contact details, a participant for the rest
    (push, pull, events, me, their devices)."""
    path = case.operation.path
    if path.startswith("/v1/admin/") or path in ("/v1/audit", "/v1/devices"):
        return "admin"
    if path in ("/v1/invites", "/v1/me/contact"):
        return "peer_worker"
    return "participant"


@schemathesis.auth(refresh_interval=24 * 60 * 60, cache_by_key=role_for)
class SignIn:
    def get(self, case, context):
        response = requests.post(
            f"{URL}/v1/auth/login",
            json={"username": USERNAMES[role_for(case)], "password": PASSWORD, "device_name": "schemathesis"},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()["token"]

    def set(self, case, token, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {token}"
