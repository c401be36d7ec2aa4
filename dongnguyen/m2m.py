"""Many-to-many sets edited by someone who sees only part of them (DESIGN.md "Rules in one
place"): an editor changes only the members they can see; what they cannot see is kept.

A health-station user editing an awareness session sees only the households in their scope;
replacing the whole set with what their form listed would silently drop every other household
the session reached."""

from django.db.models import QuerySet


def set_visible(manager, chosen, visible_qs: QuerySet) -> None:
    """Make the members of `manager` that are in `visible_qs` exactly `chosen` (rows or pks),
    keeping every member outside `visible_qs` as it is. A chosen row the editor cannot see is
    not added: the caller refuses those with its own message first."""
    chosen_ids = {getattr(c, "pk", c) for c in chosen}
    allowed = set(visible_qs.filter(pk__in=chosen_ids).values_list("pk", flat=True))
    hidden = set(manager.exclude(pk__in=visible_qs.values("pk")).values_list("pk", flat=True))
    manager.set(hidden | allowed)
