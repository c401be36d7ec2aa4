"""children: one URL namespace for two areas of work, each in its own module:
urls_register.py (register, screening, work records) and urls_cases.py (intake, cases)."""

from importlib import import_module

app_name = "children"
urlpatterns = []
for _module in ("children.urls_register", "children.urls_cases"):
    try:
        urlpatterns += import_module(_module).urlpatterns
    except ModuleNotFoundError as exc:
        if exc.name != _module:
            raise
