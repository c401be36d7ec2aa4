"""Vietnam's rules on work by minors, as a pure function of the facts of one job.

Sources (see /work/shared/DOMAIN.md §2):
- Bộ luật Lao động 45/2019/QH14 (BLLĐ), art. 143–147, plus art. 14(2) and 18(4);
- Thông tư 09/2020/TT-BLĐTBXH: Appendix II (light jobs for 13 to under 15), Appendix III
  (jobs banned under 18), Appendix IV (workplaces banned under 18), Appendix V (jobs in which a
  15–17-year-old may work overtime or at night);
- Nghị định 12/2022/NĐ-CP art. 29: the fine bands.

No Django and no database here. The job and workplace lists are data (`Catalogue`): the
Django side converts its admin-editable tables into a `Catalogue` and passes it in, so an
officer can complete the lists whose full text we could not confirm (Appendices III–V)
without touching this code. `DEFAULT_CATALOGUE` holds only the canonical codes of DOMAIN §2.

Everything an inspector needs to record comes back at once: violations are cumulative
(an under-13 lifting heavy loads breaks both art. 145(3) and art. 147(1)), in a stable order
(what the work is, where, how long, when, then the papers).
"""

# isort: skip_file
from .tables import (
    BLLD,
    TT09,
    BAND_UNDER_13,
    BAND_13_15,
    BAND_15_18,
    BAND_ADULT,
    BANDS,
    CHILD_AGE_LIMIT,
    TAG_APP2,
    TAG_UNDER13,
    TAG_ART147_1,
    TAG_APP3,
    TAG_APP5,
    LIST_TAGS,
    BANNED_JOB_TAGS,
    FINE_REGISTER,
    FINE_CONDITIONS,
    FINE_PROHIBITED,
    FINE_BANDS,
    _FINE_ORDER,
    VIOLATION_CODES,
    HoursValue,
    WorkFacts,
    Violation,
    Assessment,
    JobInfo,
    WorkplaceInfo,
    Catalogue,
    _by_code,
    _APP2,
    _ART147,
    _ARTS_SPORT,
    DEFAULT_CATALOGUE,
    _UNDER_15,
    _15_TO_18,
)
from .rules import (
    age_on,
    band_for_age,
    _HOURS_LIMITS,
    assess_work,
    _job_rules,
    _hours_rules,
    _overtime_night_rules,
    _paper_rules,
    _violation,
    _hours,
    _fmt,
)

__all__ = [
    "BLLD",
    "TT09",
    "BAND_UNDER_13",
    "BAND_13_15",
    "BAND_15_18",
    "BAND_ADULT",
    "BANDS",
    "CHILD_AGE_LIMIT",
    "TAG_APP2",
    "TAG_UNDER13",
    "TAG_ART147_1",
    "TAG_APP3",
    "TAG_APP5",
    "LIST_TAGS",
    "BANNED_JOB_TAGS",
    "FINE_REGISTER",
    "FINE_CONDITIONS",
    "FINE_PROHIBITED",
    "FINE_BANDS",
    "_FINE_ORDER",
    "VIOLATION_CODES",
    "HoursValue",
    "WorkFacts",
    "Violation",
    "Assessment",
    "JobInfo",
    "WorkplaceInfo",
    "Catalogue",
    "_by_code",
    "_APP2",
    "_ART147",
    "_ARTS_SPORT",
    "DEFAULT_CATALOGUE",
    "_UNDER_15",
    "_15_TO_18",
    "age_on",
    "band_for_age",
    "_HOURS_LIMITS",
    "assess_work",
    "_job_rules",
    "_hours_rules",
    "_overtime_night_rules",
    "_paper_rules",
    "_violation",
    "_hours",
    "_fmt",
]
