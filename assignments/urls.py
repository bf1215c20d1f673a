"""URLs of the register's pages."""

app_name = "assignments"

urlpatterns = []
