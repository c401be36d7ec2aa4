"""`{% load child_dates %}`: the core's |dmy and |dmy_hm (dongnguyen/templatetags/dates.py),
under the name the children's templates have always loaded."""

from dongnguyen.templatetags.dates import dmy, dmy_hm, register

__all__ = ["dmy", "dmy_hm", "register"]
