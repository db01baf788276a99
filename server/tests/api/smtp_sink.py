"""A real SMTP server for the e-mail tests (aiosmtpd, from `make smtp-tools`).

    python smtp_sink.py PORT [--mode accept|defer-once|refuse]

Listens on 127.0.0.1:PORT, prints {"listening": PORT} once it accepts
connections, then one JSON line per message that reached DATA: the envelope's
sender and recipients, the raw message, its headers and text as a mail
reader decodes them (RFC 2047 words, quoted-printable or base64), and the
reply it was given. Modes:
`accept` answers 250; `defer-once` answers 451 to the first message and 250
after; `refuse` answers 550 to every message. It runs until its standard
input closes (the test holding it went away) or it is killed.
"""

import argparse
import email
import email.policy
import json
import sys

from aiosmtpd.controller import Controller

REPLIES = {
    "accept": "250 2.0.0 OK: queued",
    "defer": "451 4.3.0 Busy: try again later",
    "refuse": "550 5.7.1 Relaying refused",
}


class Sink:
    def __init__(self, mode):
        self.mode = mode
        self.seen = 0

    def reply(self):
        self.seen += 1
        if self.mode == "refuse":
            return REPLIES["refuse"]
        if self.mode == "defer-once" and self.seen == 1:
            return REPLIES["defer"]
        return REPLIES["accept"]

    async def handle_DATA(self, server, session, envelope):
        answer = self.reply()
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        line = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "data": envelope.content.decode("utf-8", errors="replace"),
            "headers": [[name, str(value)] for name, value in message.items()],
            "text": message.get_content(),
            "answered": int(answer[:3]),
        }
        print(json.dumps(line), flush=True)
        return answer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--mode", choices=["accept", "defer-once", "refuse"], default="accept")
    args = parser.parse_args()
    controller = Controller(Sink(args.mode), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(json.dumps({"listening": args.port}), flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
