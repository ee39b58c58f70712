"""A person with a real browser: Debian's Chromium, headless, driven by Selenium.

Open the index, filter to a session, open a resolution, follow a citation, land on a
paragraph by its IRI, read the embedded JSON-LD; screenshots go to test-artifacts/.
Chromium is not optional here: without it the test fails and says what to install."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ldexport.model import resolution_from_dict

from .serve_support import ARTIFACTS, Served

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL = "apt-get update && apt-get install -y chromium chromium-driver"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(
            f"the browser test needs Debian's Chromium and its driver ({', '.join(missing)} "
            f"missing): {INSTALL}",
            pytrace=False,
        )
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("the browser test needs Selenium: pip install selenium", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def by(kind: str) -> Any:
    from selenium.webdriver.common.by import By

    return getattr(By, kind)


def listed(driver: Any) -> list[str]:
    return [a.text for a in driver.find_elements(by("CSS_SELECTOR"), "ol.results a.symbol")]


def screenshot(driver: Any, name: str, width: int) -> Path:
    """The whole page at `width` pixels, as test-artifacts/<name>.png."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(int(height) + 120, 8000))
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    assert driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)
    return path


def test_index_filter_resolution_citation(browser: Any, served: Served) -> None:
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver = browser
    driver.get(served.base)
    assert driver.find_element(by("TAG_NAME"), "h1").text == "Resolutions"
    everything = listed(driver)
    assert "A/RES/58/136" in everything and "S/RES/1709(2006)" in everything

    # filter to the 58th session with the form, as a person would
    Select(driver.find_element(by("ID"), "f-session")).select_by_visible_text(
        "Fifty-eighth session"
    )
    driver.find_element(by("CSS_SELECTOR"), "form.filters button[type=submit]").click()
    # The click starts a navigation; wait for it to land (on a loaded machine it takes a while).
    WebDriverWait(driver, 30).until(lambda d: "session=58" in d.current_url)
    assert listed(driver) == ["A/RES/58/136"]

    # open the resolution
    driver.find_element(by("LINK_TEXT"), "A/RES/58/136").click()
    assert driver.current_url == served.url("data/A_RES_58_136.html")
    assert (
        "Strengthening international cooperation" in driver.find_element(by("TAG_NAME"), "h1").text
    )
    res = resolution_from_dict(json.loads((served.out / "A_RES_58_136.json").read_text()))
    for eid in [p.eid for p in res.walk()] + [n.eid for n in res.footnotes]:
        assert driver.find_elements(by("ID"), eid), eid
    data = json.loads(
        driver.execute_script(
            "return document.querySelector('script[type=\"application/ld+json\"]').textContent"
        )
    )
    assert data["@type"] == "Legislation" and data["legislationIdentifier"] == "A/RES/58/136"
    path = screenshot(driver, "resolution-A_RES_58_136", 1280)
    assert path.stat().st_size > 50_000

    # a Security Council resolution that cites another one of the dataset: follow the link
    driver.get(served.url("?body=un-sc&year=2006"))
    driver.find_element(by("LINK_TEXT"), "S/RES/1709(2006)").click()
    paragraph = driver.find_element(by("ID"), "preamble__container_1")
    link = paragraph.find_element(by("CSS_SELECTOR"), 'a[title="S/RES/1590(2005)"]')
    assert link.text == "1590 (2005)"
    link.click()
    assert driver.current_url == served.url("data/S_RES_1590_2005.html")
    assert "S/RES/1590(2005)" in driver.find_element(by("CSS_SELECTOR"), ".masthead").text


def test_paragraph_iri_lands_on_the_paragraph(browser: Any, served: Served) -> None:
    driver = browser
    driver.get(served.url("doc/A/RES/58/136#para_5"))
    assert driver.current_url == served.url("data/A_RES_58_136.html#para_5")
    target = driver.execute_script("return document.querySelector(':target').id")
    assert target == "para_5"
    assert driver.execute_script("return window.scrollY") > 0


def test_readable_on_a_phone(browser: Any, served: Served) -> None:
    driver = browser
    driver.set_window_size(390, 844)
    try:
        for path in ("", "data/S_RES_1590_2005.html", "data/A_RES_61_295.html"):
            driver.get(served.url(path))
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, (path, overflow)
            size = driver.execute_script(
                "return parseFloat(getComputedStyle(document.querySelector('main p, main li'))"
                ".fontSize)"
            )
            assert size >= 14, (path, size)
        screenshot(driver, "resolution-A_RES_61_295-phone", 390)
    finally:
        driver.set_window_size(1280, 900)
