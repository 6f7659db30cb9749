from django import template

register = template.Library()


@register.filter
def pseudonym(user) -> str:
    """How officers and forces see a volunteer: never by name."""
    return f"Volunteer V{user.pk:05d}"
