"""Lookups Django leaves out. Imported by the app's ready()."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """`__in` on an integer column without the values it cannot hold, as Django's own exact,
    lt and gt lookups do (`IntegerFieldOverflow`): such a value matches nothing. Without it a
    hostile form value such as 99999999999999999999999 in a multiple choice (its check runs
    `pk__in`) made SQLite raise OverflowError, a 500: sqlite3 binds at most 64-bit integers."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                v
                for v in self.rhs
                if not isinstance(v, int)
                or ((low is None or v >= low) and (high is None or v <= high))
            ]
        return super().process_rhs(compiler, connection)
