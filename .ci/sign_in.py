"""Signs a development-provider user in to Trainyard through the provider's
own login form and prints the session cookie's value:
    python .ci/sign_in.py http://127.0.0.1:3000 adam
(the password is the provider's development one, `<user>-pass`)."""
import re
import sys
import urllib.parse

import requests

COOKIE = "trainyard_session"


def sign_in(app: str, user: str) -> str:
    browser = requests.Session()
    page = browser.get(f"{app}/auth/login?next=/", timeout=30)
    page.raise_for_status()
    action = re.search(r'action="([^"]+)"', page.text)
    if not action:
        sys.exit(f"no login form at {page.url}")
    target = urllib.parse.urljoin(page.url, action.group(1).replace("&amp;", "&"))
    landed = browser.post(
        target, data={"username": user, "password": f"{user}-pass"}, timeout=30
    )
    if not landed.url.startswith(app) or not landed.ok:
        sys.exit(f"{user} did not land back on {app}: {landed.status_code} at {landed.url}")
    value = browser.cookies.get(COOKIE)
    if not value:
        sys.exit(f"no {COOKIE} cookie after signing {user} in")
    return value


if __name__ == "__main__":
    print(sign_in(sys.argv[1].rstrip("/"), sys.argv[2]))
