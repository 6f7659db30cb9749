from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin screen that shows records and never changes them.

    Evidence, cases and model versions change only through the Hub's own
    services, where each change is checked and recorded.
    """

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + [
            field.name for field in self.model._meta.many_to_many
        ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def rewrap_admin(model, wrap) -> None:
    """Register ``model``'s admin again as ``wrap(its class)``: behaviour added to admins the Hub did not write
    (django-otp's, django-axes's, DRF's) as well as its own."""
    base = type(admin.site._registry[model])
    admin.site.unregister(model)
    admin.site.register(model, wrap(base))
