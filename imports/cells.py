"""One rule for every cell a spreadsheet export writes (OWASP "CSV injection").

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` as a
formula, and a leading tab or carriage return is stripped before that test. Text a user typed
(a child's risk factors, a business name) is exported as plain text: such a cell gets a single
quote in front, which the spreadsheet shows as text and never runs. Numbers and dates are left
alone (a negative number is data, not a formula). The import reads the quote back off, so an
exported list still imports back unchanged (`readers.unquote`)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value to write into an exported cell: text that a spreadsheet would run gets a
    leading single quote; anything else is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row) -> list:
    return [safe_cell(v) for v in row]


def unquote(value):
    """The inverse of `safe_cell` for a cell read back from a file: `'=…` → `=…`."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
