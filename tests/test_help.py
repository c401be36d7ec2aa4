"""Issue 18: a Vietnamese user guide per role, in the repository as Markdown, rendered by the
app under "Trợ giúp" and printable."""

import pytest
from django.urls import reverse

from portal.help import GUIDE_DIR, GUIDES


def test_it_keeps_a_guide_for_every_role_in_the_repository():
    from dongnguyen.roles import Role

    assert {g.role for g in GUIDES if g.role} == set(Role.values)
    for guide in GUIDES:
        assert (GUIDE_DIR / f"{guide.slug}.md").read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("role", ["leadership", "case_officer", "collaborator", "finance"])
def test_it_puts_the_readers_own_guide_first_under_tro_giup(client, personas, role):
    client.force_login(personas[role])
    home = client.get(reverse("home"))
    assert any(str(i["label"]) == "Trợ giúp" for i in home.context["nav_menu"])
    page = client.get(reverse("help"))
    guides = page.context["guides"]
    assert guides[0].role is None and guides[1].role == role


def test_it_renders_the_markdown_with_a_print_button(client, leader):
    client.force_login(leader)
    html = client.get(reverse("help_page", args=["lanh-dao"])).content.decode()
    assert "<h1>Hướng dẫn cho Lãnh đạo UBND phường</h1>" in html
    assert "<strong>Trả lại, yêu cầu sửa</strong>" in html
    assert "data-print" in html and "In / lưu PDF" in html


def test_it_answers_404_for_an_unknown_guide(client, leader):
    client.force_login(leader)
    assert client.get(reverse("help_page", args=["khong-co"])).status_code == 404


def _pictures(slug):
    import re

    return re.findall(r"\]\(img/([a-z0-9-]+\.png)\)", (GUIDE_DIR / f"{slug}.md").read_text())


def test_every_role_guide_shows_screenshots_that_are_in_the_repository():
    from portal.help import IMAGE_DIR

    for guide in GUIDES:
        if guide.role:
            assert _pictures(guide.slug), f"{guide.slug}: no screenshot"
        for name in _pictures(guide.slug):
            assert (IMAGE_DIR / name).is_file(), f"{guide.slug}: {name} missing"
    total = sum(p.stat().st_size for p in IMAGE_DIR.glob("*.png"))
    assert total < 3 * 1024 * 1024, f"the guides' pictures weigh {total} bytes"


def test_it_serves_the_guides_pictures_on_the_guide_page(client, leader):
    client.force_login(leader)
    name = _pictures("lanh-dao")[0]
    html = client.get(reverse("help_page", args=["lanh-dao"])).content.decode()
    src = reverse("help_image", args=[name])
    assert f'src="{src}"' in html and 'src="img/' not in html
    response = client.get(src)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize("name", ["khong-co.png", "..%2Fchung.md", "chung.md", "A.png"])
def test_it_answers_404_for_a_picture_that_is_not_one(client, leader, name):
    client.force_login(leader)
    assert client.get(f"/tro-giup/anh/{name}").status_code == 404
