"""A real SMTP server in the test process (aiosmtpd), and people who have e-mail addresses."""

import email
import logging
import socket
from dataclasses import dataclass
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from malmo_ks import roles

# aiosmtpd tells every command it gets at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass
class Received:
    """One message as the server took it: the envelope's recipients and the parsed mail."""

    to: list
    mail: email.message.EmailMessage

    @property
    def subject(self):
        # Django folds an encoded subject onto a continuation line ("Subject: \n =?utf-8?..."),
        # which the parser reads with its leading space; mail programs show it without.
        return self.mail["Subject"].strip()

    @property
    def text(self):
        return self.mail.get_body(("plain",)).get_content().replace("\r\n", "\n")

    @property
    def html(self):
        return self.mail.get_body(("html",)).get_content().replace("\r\n", "\n")


class Inbox:
    """aiosmtpd's handler: keeps every message it accepts."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        mail = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(list(envelope.rcpt_tos), mail))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for message in self.received if address in message.to]


class SmtpServer:
    """The server on a free port of 127.0.0.1, which a test can stop and start again."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self):
        return self.inbox.received


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend pointed at a running aiosmtpd server."""
    server = SmtpServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://uppdrag.malmo.example"
    server.start()
    yield server
    server.stop()


def person(username, role=roles.HANDLAGGARE, **extra):
    """A user with an e-mail address, in `role`."""
    extra.setdefault("email", f"{username}@malmo.example")
    user = get_user_model().objects.create_user(
        username, first_name=username.capitalize(), last_name="Test", **extra
    )
    user.groups.add(Group.objects.get(name=role))
    return user
