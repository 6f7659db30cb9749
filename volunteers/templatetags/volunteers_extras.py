from django import template

from volunteers import pseudonyms

register = template.Library()


@register.filter
def pseudonym(user) -> str:
    """How officers and forces see a volunteer: never by name."""
    return pseudonyms.pseudonym(user)
