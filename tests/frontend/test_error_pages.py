"""The error pages stand on their own: a language, a title and a main landmark (axe
``landmark-one-main`` / ``region``), because the 500 page is rendered when nothing else can be."""

import re

from django.template.loader import render_to_string


def test_the_server_error_page_has_one_main_landmark_and_a_language():
    html = render_to_string("500.html")
    assert re.search(r'<html lang="en">', html)
    assert html.count("<main>") == 1 and html.count("</main>") == 1
    assert "<h1>Sorry, there is a problem with the service</h1>" in html
