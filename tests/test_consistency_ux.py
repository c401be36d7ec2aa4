"""Issue 18 point 8: the home page, the task list and the intake list agree on what is late."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from .factories import IntakeFactory


def test_it_counts_the_same_late_tips_on_the_home_page_and_the_task_list(client, officer):
    now = timezone.now()
    IntakeFactory(received_at=now - timedelta(hours=13))  # new, late
    IntakeFactory(received_at=now - timedelta(days=4), status="verifying")  # still undecided
    IntakeFactory(received_at=now - timedelta(hours=2))  # new, not late yet
    IntakeFactory(received_at=now - timedelta(days=5), status="case_opened")  # decided
    client.force_login(officer)

    home = client.get(reverse("home"))
    tile = next(i for i in home.context["items"] if str(i.label).startswith("Phản ánh quá 12"))
    assert tile.count == 2

    tasks = client.get(reverse("children:tasks"))
    flagged = [i for i in tasks.context["intakes"] if i["late"]]
    assert len(flagged) == tile.count
    assert tasks.content.decode().count('class="row-overdue"') == tile.count

    listed = client.get(tile.url)
    assert listed.context["page"].paginator.count == tile.count
