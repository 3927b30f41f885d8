"""Every menu item points at a page that exists (issue 14: the "Statistics" link pointed at a
missing page and ``items_for`` hid it silently; a missing page now fails here instead)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comeforward.frontend.navigation import NAV_ITEMS


@pytest.mark.parametrize("item", NAV_ITEMS, ids=lambda item: item.label)
def test_every_menu_item_resolves(item):
    assert reverse(item.url_name).startswith("/")
