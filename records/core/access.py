"""Kept for imports written before ``records.core.permissions``, the one home of who may
see or act."""

from records.core.permissions import staff_with as verified_staff_with

__all__ = ["verified_staff_with"]
