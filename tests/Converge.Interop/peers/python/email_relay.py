"""The mail server Converge relays outgoing mail to (Email.Relay), built on Debian's python3-aiosmtpd.

Each accepted message is read back with Python's own email package (an independent MIME reader)
and reported as one JSON line on stdout, so the xunit driver awaits mails as events:
  {"event": "ready", "port": P}
  {"event": "mail", "n": k, "mail_from", "rcpt_tos", "from", "to", "subject", "message_id",
   "in_reply_to", "references", "content_type", "charset", "text", "raw"}
      text: the text/plain body, decoded, line ends as \\n; raw: the bytes as received, base64
Recipients whose local part starts with "reject" get 550 at RCPT, with "defer" get 451.

usage: email_relay.py [--port P]   (0 or absent: a free port)
"""

import argparse
import asyncio
import base64
import json
from email import policy
from email.parser import BytesParser

from aiosmtpd.smtp import SMTP


def emit(**fields):
    print(json.dumps(fields), flush=True)


def header(message, name):
    value = message.get(name)
    return None if value is None else str(value)


class Relay:
    def __init__(self):
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table" % address
        if local.startswith("defer"):
            return "451 4.2.0 <%s>: Mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        raw = envelope.original_content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        body = message.get_body(preferencelist=("plain",))
        text = None if body is None else body.get_content().replace("\r\n", "\n")
        emit(event="mail", n=self.count, mail_from=envelope.mail_from, rcpt_tos=envelope.rcpt_tos,
             **{"from": header(message, "From")}, to=header(message, "To"),
             subject=header(message, "Subject"), message_id=header(message, "Message-ID"),
             in_reply_to=header(message, "In-Reply-To"), references=header(message, "References"),
             content_type=message.get_content_type(),
             charset=None if body is None else body.get_content_charset(),
             text=text, raw=base64.b64encode(raw).decode("ascii"))
        return "250 2.0.0 Ok: queued as %d" % self.count


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    handler = Relay()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="relay.mail.example", decode_data=False),
        "127.0.0.1", args.port)
    emit(event="ready", port=server.sockets[0].getsockname()[1])
    await asyncio.Event().wait()


asyncio.run(main())
