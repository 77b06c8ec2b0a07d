"""Sending email: through SMTP when ``MAIL_URL`` is set, else to the log (development).

``MAIL_URL`` is ``smtp://user:password@host:587`` (STARTTLS) or ``smtps://...:465`` (TLS
from the start); ``MAIL_FROM`` the sender. With no ``MAIL_URL`` the message is written to
the ``attract.mail`` logger, so a developer can follow a reset link from the terminal;
that logger is for development only and is not the security log.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app

log = logging.getLogger("attract.mail")


def send(to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    url = current_app.config.get("MAIL_URL")
    if not url:
        log.info("mail (no MAIL_URL set, so not sent) to %s: %s\n%s", to, subject, body)
        return
    parts = urlsplit(url)
    context = ssl.create_default_context()
    if parts.scheme == "smtps":
        server = smtplib.SMTP_SSL(parts.hostname, parts.port or 465, context=context,
                                  timeout=10)
    else:
        server = smtplib.SMTP(parts.hostname, parts.port or 587, timeout=10)
        server.starttls(context=context)
    with server:
        if parts.username:
            server.login(unquote(parts.username), unquote(parts.password or ""))
        server.send_message(message)
