"""The container's health check: does gunicorn answer /halsa/ with 200?

Sends a Host header the app accepts (the first of ALLOWED_HOSTS), since the
check comes from inside the container, not through the proxy.
"""

import os
import sys
import urllib.request


def allowed_host():
    first = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    # ".example.se" allows every subdomain; "*" anything.
    return "localhost" if first in {"", "*"} else first.lstrip(".")


def main():
    request = urllib.request.Request(
        f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/halsa/",
        headers={"Host": allowed_host()},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
