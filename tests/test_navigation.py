from portal.navigation import menu_for


def test_it_marks_only_the_most_specific_menu_entry_active(officer):
    def active(path):
        return [item["url"] for item in menu_for(officer, path) if item["active"]]

    assert active("/tre-em/ho-so/5/") == ["/tre-em/ho-so/"]
    assert active("/tre-em/12/") == ["/tre-em/"]
    assert active("/chi-tieu/bao-cao/3/") == ["/chi-tieu/bao-cao/"]
    assert active("/") == ["/"]
    assert active("/dang-nhap/") == []
