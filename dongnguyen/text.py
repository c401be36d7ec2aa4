import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_name(value: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse spaces.

    "Nguyễn Văn An", "nguyen van an" and "NGUYEN  VAN AN" all give "nguyen van an"; names are
    stored in this form beside the original so search can use an ordinary (trigram) index.
    """
    if not value:
        return ""
    text = value.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text).strip().lower()


def as_id(value) -> int | None:
    """A primary key taken from a query string or POST body, or None if it is not one.

    `get_object_or_404(qs, pk=as_id(request.POST.get("child")))` then answers 404 to a
    tampered or garbled id instead of letting int() fail with a 500. ASCII digits only:
    str.isdigit() is true for "¹" (which int() refuses) and int() reads "١٢" or "１２"."""
    text = "" if value is None else str(value).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number < 2**63 else None


def query_text(request, name: str = "q") -> str:
    """A search box's text from the query string, without NUL characters (PostgreSQL refuses
    them in a query, which would be a 500 for a pasted or tampered search)."""
    return request.GET.get(name, "").replace("\x00", "").strip()


def person_name(person) -> str:
    """A person's name as Vietnamese write it: family name first ("Trần Thị Thu Hà").

    Children, caregivers, household heads and reporters keep one full-name field, typed in
    that order: it is only tidied (spaces). A user account keeps Django's two fields as the
    admin form labels them, `last_name` "Họ" (family and middle names) and `first_name` "Tên"
    (given name); Django's get_full_name() would print them the Western way round."""
    if person is None:
        return ""
    if isinstance(person, str):
        return _SPACES.sub(" ", person).strip()
    if hasattr(person, "first_name") and hasattr(person, "last_name"):
        name = _SPACES.sub(" ", f"{person.last_name} {person.first_name}").strip()
        return name or getattr(person, "username", "")
    return person_name(getattr(person, "full_name", None) or getattr(person, "name", ""))
