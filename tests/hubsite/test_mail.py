"""The Hub's one rule for whether a failed send is worth trying again (hubsite/mail.py), which notifications,
password resets and invitations all follow."""

import smtplib

import pytest

from hubsite.mail import temporary


@pytest.mark.parametrize(
    ("error", "again"),
    [
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPResponseException(421, b"Try later"), True),
        (smtplib.SMTPResponseException(554, b"Rejected"), False),
        (smtplib.SMTPRecipientsRefused({"a@b": (550, b"No such user")}), False),
        (smtplib.SMTPRecipientsRefused({"a@b": (452, b"Mailbox full")}), True),
        (smtplib.SMTPAuthenticationError(535, b"Bad password"), False),
    ],
    ids=str,
)
def test_only_what_may_pass_is_retried(error, again):
    assert temporary(error) is again
