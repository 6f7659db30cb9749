"""How officers and forces see a volunteer: a stable pseudonym, never their name."""


def pseudonym(user) -> str:
    return f"Volunteer V{user.pk:05d}"
