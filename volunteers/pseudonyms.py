"""How officers and forces see who reported something: a volunteer by their profile's pseudonym, never their
name; a partner's account by its organisation ("Partner: Tell Them"), since it speaks for the organisation.

A volunteer's profile wins over an organisation: an account that has both (the admin refuses it now, but an
older account may) keeps its pseudonym, so a volunteer's affiliation is never shown by mistake. A report names
its sender by the organisation it was sent for (``Report.reported_by``), not by the account as it is now.
Lists that name many reporters should
``select_related("<user field>__volunteer", "<user field>__partner_organisation")`` so this reads no more rows.
"""

from django.core.exceptions import ObjectDoesNotExist


def pseudonym(user) -> str:
    try:
        return user.volunteer.pseudonym
    except ObjectDoesNotExist:
        pass
    if user.partner_organisation_id is not None:
        return f"Partner: {user.partner_organisation.name}"
    # Only accounts made before profiles existed, or staff acting as volunteers in tests.
    return f"Volunteer V{user.pk:05d}"
