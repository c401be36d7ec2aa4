import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")


# Every character of U+0300..U+036F (the marks Vietnamese letters decompose into) is a
# non-spacing mark (category Mn): one regular expression removes them all at once.
_MARKS = re.compile("[\u0300-\u036f]+")


def normalize_name(value: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse spaces.

    "Nguyễn Văn An", "nguyen van an" and "NGUYEN  VAN AN" all give "nguyen van an"; names are
    stored in this form beside the original so search can use an ordinary (trigram) index.
    """
    if not value:
        return ""
    if type(value) is str:
        return _normalized(value)
    return _normalize(value)


@functools.lru_cache(maxsize=65536)
def _normalized(value: str) -> str:
    # An import normalises each name, label and header several times.
    return _normalize(value)


def _normalize(value) -> str:
    text = value.replace("đ", "d").replace("Đ", "D")
    text = _MARKS.sub("", unicodedata.normalize("NFD", text))
    if not text.isascii():  # other marks (other scripts): the general rule
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
        return account_name(person.last_name, person.first_name, getattr(person, "username", ""))
    return person_name(getattr(person, "full_name", None) or getattr(person, "name", ""))


def account_name(last_name: str, first_name: str, username: str = "") -> str:
    """A user account's name from its columns (a list read as values): "Họ" then "Tên", or the
    username when both are empty."""
    return _SPACES.sub(" ", f"{last_name} {first_name}").strip() or username


# Vietnamese alphabetical order: a ă â b c d đ e ê … o ô ơ … u ư …; the tone marks (huyền,
# hỏi, ngã, sắc, nặng) only break ties. Python's default order puts "Đ…" and "Ủ…" after "z"
# and "Biểu" before "Bảo" (code points), which is not how a Vietnamese reader looks for a name.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_SHAPED = {
    ("a", "\u0306"): "ă",  # breve
    ("a", "\u0302"): "â",  # circumflex
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",  # horn
    ("u", "\u031b"): "ư",
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vn_sort_key(value) -> tuple:
    """A sort key giving Vietnamese alphabetical order, case-insensitive:
    `sorted(names, key=vn_sort_key)`; for choices, `key=lambda c: vn_sort_key(c[1])`."""
    letters: list[list] = []  # [character, tone]
    for ch in unicodedata.normalize("NFD", str(value or "").lower()):
        if ch in _TONES and letters:
            letters[-1][1] = _TONES[ch]
        elif letters and (letters[-1][0], ch) in _SHAPED:
            letters[-1][0] = _SHAPED[(letters[-1][0], ch)]
        elif unicodedata.category(ch) != "Mn":
            letters.append([ch, 0])

    def rank(ch: str) -> int:
        position = _ALPHABET.find(ch)
        if position >= 0:
            return 1000 + position
        return ord(ch) if ord(ch) < 128 else 2000 + ord(ch)  # spaces and digits first

    return tuple(rank(ch) for ch, _tone in letters), tuple(tone for _ch, tone in letters)


def file_slug(value) -> str:
    """A file name part in plain ASCII: "Báo cáo 6 tháng cuối năm 2026" → "bao-cao-6-thang-
    cuoi-nam-2026" (every browser and mail client keeps it intact)."""
    return re.sub(r"[^a-z0-9]+", "-", normalize_name(value)).strip("-")
