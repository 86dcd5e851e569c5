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
from apps.demo.data import DEMO_PASSWORD  # noqa: E402
from apps.demo.services import demo_totp_key  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def wait_until_up(base: str, seconds: int = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
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


def main(base: str) -> None:
    wait_until_up(base)
    with urllib.request.urlopen(f"{base}/sign-in/") as response:  # noqa: S310
        assert response.status == 200, response.status
    for username in User.objects.order_by("username").values_list("username", flat=True):
        sign_in(base, username)


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
