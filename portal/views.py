from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.permissions import permission_required
from dongnguyen.roles import Role, role_of
from reports import selectors
from reports.periods import current_periods

from . import help
from .home import attention_items


@login_required
def home(request):
    role = role_of(request.user)
    year = current_periods()[0]
    return render(
        request,
        "portal/home.html",
        {
            "items": attention_items(request.user),
            "role": role,
            "today": timezone.localdate(),
            # Leadership watches the plan: the KPIs of this year that miss their target.
            "off_target": selectors.off_target(year) if role == Role.LEADERSHIP else None,
            "year": year,
        },
    )


@permission_required("home.view")
def help_index(request):
    """The guides, the reader's own role first."""
    role = role_of(request.user)
    guides = sorted(help.GUIDES, key=lambda g: (g.role is not None, g.role != role))
    return render(
        request,
        "portal/help_index.html",
        {"guides": guides, "role": role, "breadcrumbs": [(_("Trợ giúp"), None)]},
    )


@permission_required("home.view")
def help_page(request, slug):
    guide = help.BY_SLUG.get(slug)
    if guide is None:
        raise Http404
    return render(
        request,
        "portal/help_page.html",
        {
            "guide": guide,
            "body": help.render_guide(slug),
            "breadcrumbs": [(_("Trợ giúp"), reverse("help")), (guide.title, None)],
        },
    )


@permission_required("home.view")
def help_image(request, name):
    """A picture of the guides (docs/huong-dan/img/, written by the browser tests)."""
    path = help.image_path(name)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")
