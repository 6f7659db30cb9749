from django import template

from volunteers import pseudonyms

register = template.Library()


@register.filter
def pseudonym(user) -> str:
    """How officers and forces see a volunteer: never by name."""
    return pseudonyms.pseudonym(user)


@register.filter
def file_line(row_number: int) -> int:
    """An imported file's line for a data row numbered from 1: the header is line 1."""
    from volunteers.resources import line_of

    return line_of(row_number)
