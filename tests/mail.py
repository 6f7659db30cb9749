"""A real SMTP server inside the test process, for tests that assert what the Hub's e-mail sends arrived."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class _Mailbox:
    """aiosmtpd handler keeping every message delivered to it, parsed."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.arrived = threading.Condition()
        self.refuse: set[str] = set()  # addresses answered "550 no such user", as a real server does for good
        self.refusals = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            self.refusals += 1
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class SmtpServer:
    """What arrived at the server: ``messages`` (parsed), ``wait_for(n)`` to wait for a worker's sends."""

    def __init__(self):
        self.mailbox = _Mailbox()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    def refuse(self, address: str) -> None:
        """From now on, answer mail for ``address`` with a permanent refusal (550)."""
        self.mailbox.refuse.add(address.lower())

    @property
    def refusals(self) -> int:
        return self.mailbox.refusals

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self.mailbox.messages)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[EmailMessage]:
        with self.mailbox.arrived:
            self.mailbox.arrived.wait_for(lambda: len(self.mailbox.messages) >= count, timeout=timeout)
        return self.messages

    @staticmethod
    def body(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""
