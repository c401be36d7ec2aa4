"""children: one URL namespace for two areas of work, each in its own module:
urls_register.py (register, screening, work records) and urls_cases.py (intake, cases)."""

from . import urls_cases, urls_register

app_name = "children"
urlpatterns = [*urls_register.urlpatterns, *urls_cases.urlpatterns]
