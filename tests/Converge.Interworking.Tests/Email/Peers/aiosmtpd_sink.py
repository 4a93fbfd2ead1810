"""A receiving mail server for the SmtpSender tests, built on aiosmtpd.

usage: aiosmtpd_sink.py OUTDIR [CERT KEY] [--size N]

Listens on 127.0.0.1 on a free port and prints "READY <port>". Each message is written to
OUTDIR as N.eml (the bytes as received) and N.json (envelope, TLS, MAIL parameters).
Recipients whose local part starts with "reject" get 550, with "defer" get 451.
"""
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split('@')[0].lower()
        if local.startswith('reject'):
            return '550 5.1.1 <%s>: Recipient address rejected: no such user' % address
        if local.startswith('defer'):
            return '451 4.2.0 <%s>: Mailbox busy, try again later' % address
        envelope.rcpt_tos.append(address)
        return '250 2.1.5 OK'

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.outdir, str(self.count))
        with open(base + '.eml', 'wb') as f:
            f.write(envelope.original_content)
        meta = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'mail_options': envelope.mail_options,
            'tls': session.ssl is not None,
            'helo': session.host_name,
        }
        with open(base + '.json.tmp', 'w') as f:
            json.dump(meta, f)
        os.rename(base + '.json.tmp', base + '.json')  # the .json appearing means the message is complete
        return '250 2.0.0 Ok: queued as %d' % self.count


async def main():
    args = sys.argv[1:]
    size = 33554432
    if '--size' in args:
        i = args.index('--size')
        size = int(args[i + 1])
        del args[i:i + 2]
    outdir = args[0]
    context = None
    if len(args) >= 3:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args[1], args[2])
    handler = Sink(outdir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname='sink.test', tls_context=context, require_starttls=False,
                     data_size_limit=size, decode_data=False),
        '127.0.0.1', 0)
    print('READY', server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
