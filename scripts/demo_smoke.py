"""Checks a running `make demo` over HTTP: the home page answers, and every demo user signs in
(password, then the second factor). Usage: python scripts/demo_smoke.py http://127.0.0.1:8000"""

import http.cookiejar
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prostir.settings")

import django

django.setup()

from django_otp.oath import TOTP  # noqa: E402

from apps.access.models import User  # noqa: E402
from apps.demo.data import DEMO_PASSWORD, HUB_ROLES, HUBS  # noqa: E402
from apps.demo.services import demo_totp_key  # noqa: E402
from apps.directory.models import Organisation  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def wait_until_up(base: str, pid: int | None, seconds: int = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pid is not None and not _alive(pid):
            raise SystemExit("`make demo` exited before serving")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(2)
    raise SystemExit(f"the demo did not come up at {base}")


def totp_code(username: str) -> str:
    key = bytes.fromhex(demo_totp_key(username))
    return f"{TOTP(key).token():06d}"


def post_form(opener, url: str, fields: dict) -> tuple[str, str]:
    page = opener.open(url).read().decode()
    token = CSRF.search(page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    request = urllib.request.Request(url, data=data, headers={"Referer": url})  # noqa: S310
    with opener.open(request) as response:
        return response.geturl(), response.read().decode()


def sign_in(base: str, username: str) -> None:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    url, body = post_form(
        opener, f"{base}/sign-in/", {"username": username, "password": DEMO_PASSWORD}
    )
    if "/sign-in/two-factor/" in url:
        url, body = post_form(opener, url, {"otp_token": totp_code(username)})
    if urllib.parse.urlparse(url).path != "/" or 'id="my-hubs"' not in body:
        raise SystemExit(f"{username}: sign-in ended at {url}")
    print(f"signed in: {username}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def check_nothing_duplicated() -> None:
    expected = (
        {"admin"}
        | {f"{role}.{hub.key}" for hub in HUBS for role in (*HUB_ROLES, "partner")}
        | {f"analyst.{hub.oblast_key}" for hub in HUBS}
    )
    usernames = set(User.objects.values_list("username", flat=True))
    if usernames != expected:
        raise SystemExit(f"demo users differ from the demo's list: {usernames ^ expected}")
    organisations = sum(1 + len(hub.partners) for hub in HUBS)
    if Organisation.objects.count() != organisations:
        raise SystemExit(f"{Organisation.objects.count()} organisations, not {organisations}")


def main(base: str, pid: int | None) -> None:
    wait_until_up(base, pid)
    with urllib.request.urlopen(f"{base}/") as response:  # noqa: S310 - home → sign-in
        assert response.status == 200 and "/sign-in/" in response.geturl(), response.geturl()
    check_nothing_duplicated()
    for username in User.objects.order_by("username").values_list("username", flat=True):
        sign_in(base, username)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    demo_pid = int(arguments[arguments.index("--pid") + 1]) if "--pid" in arguments else None
    main(arguments[0].rstrip("/"), demo_pid)
