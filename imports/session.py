"""Keeping the pending upload in the session between the preview and the confirmation.

The upload waits in the session rather than in a process, so any web process can
serve either request.
"""

import secrets

from django.utils.crypto import constant_time_compare

from .reading import Upload

SESSION_KEY = "pending_import"


def keep_in_session(session, upload):
    """Keep `upload` as the session's one pending import; returns its token.

    A new upload replaces the previous one, whose token then no longer confirms.
    """
    token = secrets.token_urlsafe(16)
    session[SESSION_KEY] = {"token": token, "upload": upload.as_dict()}
    return token


def pending_upload(session, token):
    """The pending upload if `token` is its token, else None."""
    pending = session.get(SESSION_KEY)
    if not pending or not token or not constant_time_compare(pending["token"], token):
        return None
    return Upload.from_dict(pending["upload"])


def forget(session):
    session.pop(SESSION_KEY, None)
