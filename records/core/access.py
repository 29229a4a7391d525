"""Who may see or do more than the public: staff, after this session's two-factor check."""


def verified_staff_with(user, permission):
    """True for a staff member with ``permission`` whose session passed the two-factor
    check (as the admin requires), so a stolen password alone reveals nothing unpublished."""
    return bool(
        user.is_authenticated
        and user.is_staff
        and getattr(user, "is_verified", lambda: False)()
        and user.has_perm(permission)
    )
