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
