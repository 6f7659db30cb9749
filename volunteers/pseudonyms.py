"""How officers and forces see a volunteer: their profile's pseudonym, never their name.

Lists that name many volunteers should ``select_related("<user field>__volunteer")`` so
this reads no more rows.
"""

from django.core.exceptions import ObjectDoesNotExist


def pseudonym(user) -> str:
    try:
        return user.volunteer.pseudonym
    except ObjectDoesNotExist:
        # Only accounts made before profiles existed, or staff acting as volunteers in tests.
        return f"Volunteer V{user.pk:05d}"
