"""Receiving replies: see ``records.foi.inbound`` (parsing, classification, delivery).
Kept so that ``from records.foi.receiving import receive`` goes on working."""

from records.foi.inbound.delivery import MailTooLarge, deliver, read_limited, receive

__all__ = ["MailTooLarge", "deliver", "read_limited", "receive"]
