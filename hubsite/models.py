from django.contrib.auth.models import AbstractUser

from hubsite.roles import Role


class User(AbstractUser):
    """A person who signs in to the Hub. What they may do comes from their groups (roles)."""

    class Meta:
        ordering = ["username"]

    def role_names(self) -> list[str]:
        """The roles this user holds, in Role order, for display."""
        held = {group.name for group in self.groups.all()}
        return [role.label for role in Role if role.value in held]
