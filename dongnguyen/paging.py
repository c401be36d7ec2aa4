"""Pages of a search without COUNT(*) (DESIGN.md "Scale path").

Django's Paginator counts every match before it reads a page: for a name search that is a
second trigram scan over all matches (at province scale, hundreds of thousands of rows for
"nguyen van"). A search page needs only its rows and whether there is a next page: one query of
per_page + 1 rows. The total is known, and shown, on the last page only.
"""

import functools

from django.core.paginator import Page, Paginator


class SearchPage(Page):
    def __init__(self, object_list, number, paginator, *, more):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more

    def start_index(self):
        if not self.object_list:
            return 0
        return (self.number - 1) * self.paginator.per_page + 1

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


MAX_PAGE = 1_000_000


class SearchPaginator(Paginator):
    """get_page(number) in one query. `uncounted` is true while the last page is not reached:
    templates must not read `count` or `num_pages` then (that would count)."""

    uncounted = True

    def __init__(self, object_list, per_page, *, columns=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        # With columns: `object_list` is a model queryset, read keys first (below).
        self.columns = columns

    def _rows(self, bottom, top):
        if self.columns is None:
            return list(self.object_list[bottom:top])
        # The page's keys first, in a sub-select the order index answers alone where it holds
        # the name (an index-only scan: a common name's first page walked some 8,000 entries of
        # the ward's children, each a heap row fetched to test the name), then their rows. The
        # keys are read from the model's own table: no join of the columns in the sub-select.
        keys = self.object_list.values_list("pk")[bottom:top]
        rows = self.object_list.filter(pk__in=keys).values_list(*self.columns)
        return list(rows)

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            return 1
        # A tampered ?page=99999999999999999999 must not overflow PostgreSQL's OFFSET (bigint).
        return min(max(number, 1), MAX_PAGE)

    def get_page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self._rows(bottom, bottom + self.per_page + 1)
        if not rows and number > 1:  # past the end (an old link): the first page
            return self.get_page(1)
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if not more:
            # The last page: now the total is known without counting.
            self.__dict__["count"] = bottom + len(rows)
            self.__dict__["num_pages"] = number
            self.uncounted = False
        return SearchPage(rows, number, self, more=more)

    page = get_page


def page_of_values(queryset, columns, per_page, number, *, search=False, keys_first=False):
    """The page `number` of `queryset` with its rows read as tuples of `columns` (values_list):
    a list page shows a few columns of fifty rows, and fifty model instances, each with its
    select_related household and group, were a fifth of the child list's time. The rows of a
    search are read in one query (SearchPaginator; with `keys_first`, the page's keys in a
    sub-select, for a model whose order index holds the searched column); a list is counted
    on the queryset as given, without the joins the columns need (a COUNT through them took
    100 ms instead of 2 ms for a ward's 12,000 children), and only its page's rows are read
    as tuples."""
    if search:
        if keys_first:
            return SearchPaginator(queryset, per_page, columns=columns).get_page(number)
        return SearchPaginator(queryset.values_list(*columns), per_page).get_page(number)
    page = Paginator(queryset, per_page).get_page(number)
    page.object_list = list(page.object_list.values_list(*columns))
    return page


_SENTINEL = 987_654_321_987_654_321


def row_url(name):
    """`reverse(name, args=[pk])` for every row of a page at the cost of one reverse(): a
    {% url %} per row resolves the URLconf fifty times (a tenth of a list page's time)."""
    from django.urls import reverse

    pattern = reverse(name, args=[_SENTINEL])
    sentinel = str(_SENTINEL)
    return lambda pk: pattern.replace(sentinel, str(pk))


def choice_labels(model, field_name) -> dict:
    """The labels of a field's choices as get_FOO_display() gives them, built once for a page
    (get_FOO_display() rebuilds the dict of choices and translates at every row)."""
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}


def presence(instance, *relations) -> dict[str, bool]:
    """Which of `instance`'s related sets have rows, in one query: {relation: bool} for each
    relation named (a reverse foreign key or a many-to-many of its model, or one reached
    through a foreign key: "household__caregivers"). A record's page reads a panel's rows only
    when it has some: a child's page has ten panels, most children have rows in few of them,
    and each empty panel was a query (its compiling and round trip about 0.6 ms) that returned
    nothing. Plain SQL: the same EXISTS as ORM annotations cost 3 ms to build and compile."""
    from django.db import connections, router

    sql, columns = _presence_sql(type(instance), relations)
    params = [getattr(instance, column) for column in columns]
    using = router.db_for_read(type(instance), instance=instance)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {relation: bool(flag) for relation, flag in zip(relations, row, strict=True)}


def panels(instance, *relations):
    """`rows(relation, queryset)` for a record's page: `queryset` (still lazy) when
    `instance` has rows in that relation, else an empty list, no query (one `presence` query
    for all of them)."""
    shown = presence(instance, *relations)
    return lambda relation, queryset: queryset if shown[relation] else []


@functools.cache
def _presence_sql(model, relations):
    from django.db import connection

    quote = connection.ops.quote_name
    tests, columns = [], []
    for path in relations:
        hops = path.split("__")
        if len(hops) > 2:
            raise ValueError(f"presence: one foreign key at most before the relation ({path})")
        outer = model._meta.pk.attname
        owner = model
        if len(hops) == 2:
            key = model._meta.get_field(hops[0])
            outer, owner = key.attname, key.related_model
        field = owner._meta.get_field(hops[-1])
        if field.many_to_many and not field.auto_created:  # a many-to-many of the model itself
            table, column = field.m2m_db_table(), field.m2m_column_name()
        elif field.one_to_many:  # the reverse side of another model's foreign key
            table, column = field.related_model._meta.db_table, field.field.column
        else:
            raise ValueError(f"presence: {path} is not a set of related rows")
        # Quoted names from the models' own meta; the values are parameters.
        test = f"EXISTS (SELECT 1 FROM {quote(table)} WHERE {quote(column)} = %s)"  # noqa: S608
        tests.append(test)
        columns.append(outer)
    return "SELECT " + ", ".join(tests), tuple(columns)
