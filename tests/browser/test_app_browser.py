"""The web app as an analyst uses it, in real headless Chromium: open the list, filter, search, open a
story, click a matrix cell and land on the highlighted sentence, see the timeline and the map."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

Shot = Callable[[str], Path]
WAIT = 10


def story_ids(driver: WebDriver) -> list[str]:
    return [r.get_attribute("data-story-id") or "" for r in driver.find_elements(By.CSS_SELECTOR, "tr.story-row")]


def test_list_filter_and_search(driver: WebDriver, server: str, shot: Shot) -> None:
    driver.get(server + "/")
    everything = story_ids(driver)
    assert len(everything) >= 2
    shot("list")
    form = driver.find_element(By.CSS_SELECTOR, "form.filters")
    form.find_element(By.NAME, "disputed").click()
    form.find_element(By.NAME, "from").send_keys("04012025")  # the date widget types month, day, year
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, WAIT).until(lambda d: "disputed=1" in d.current_url)
    assert "from=2025-04-01" in driver.current_url
    filtered = story_ids(driver)
    assert filtered and set(filtered) < set(everything)
    assert driver.find_elements(By.CSS_SELECTOR, "a.chip")  # each active filter can be removed
    shot("filtered")
    box = driver.find_element(By.CSS_SELECTOR, "header.top input[name=q]")
    box.send_keys("ambush\n")
    WebDriverWait(driver, WAIT).until(lambda d: "q=ambush" in d.current_url)
    assert story_ids(driver)
    assert "ambush" in driver.find_element(By.CSS_SELECTOR, "table.claims").text.lower()
    shot("search")


def test_matrix_cell_lands_on_the_highlighted_sentence(driver: WebDriver, server: str, shot: Shot) -> None:
    driver.get(server + "/?sort=disputed")
    driver.find_element(By.CSS_SELECTOR, "tr.story-row td.title a").click()
    WebDriverWait(driver, WAIT).until(lambda d: "/stories/" in d.current_url)
    shot("story")
    cell = driver.find_elements(By.CSS_SELECTOR, "table.matrix td.cell a")[3]
    target = (cell.get_attribute("href") or "").split("#", 1)[1]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    cell.click()
    WebDriverWait(driver, WAIT).until(lambda d: d.execute_script(
        "const t = document.querySelector(':target'); if (!t) return false;"
        "const r = t.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight + 1 && r.height > 0;"))
    landed = driver.execute_script("return document.querySelector(':target')")
    assert landed.get_attribute("id") == target and landed.tag_name == "mark"
    assert "claim" in (landed.get_attribute("class") or "") and landed.is_displayed() and landed.text.strip()
    colour = driver.execute_script("return getComputedStyle(document.querySelector(':target')).backgroundColor")
    assert colour == "rgb(255, 224, 102)"  # the :target highlight
    shot("landed")


def test_timeline_and_map_render(driver: WebDriver, server: str, shot: Shot) -> None:
    driver.get(server + "/?sort=disputed")
    driver.find_element(By.CSS_SELECTOR, "tr.story-row td.title a").click()
    WebDriverWait(driver, WAIT).until(lambda d: "/stories/" in d.current_url)
    for css in ("svg.timeline", "svg.map"):
        svg = driver.find_element(By.CSS_SELECTOR, css)
        box = svg.rect
        assert box["width"] > 100 and box["height"] > 50, (css, box)
    items = driver.find_elements(By.CSS_SELECTOR, "svg.timeline g.timeline-item")
    places = driver.find_elements(By.CSS_SELECTOR, "svg.map circle.place")
    land = driver.find_elements(By.CSS_SELECTOR, "svg.map path.land")
    assert items and places and land
    assert all(p.rect["width"] > 0 for p in places)
    driver.execute_script("document.documentElement.style.scrollBehavior = 'auto';"
                          "document.getElementById('when-where').scrollIntoView()")
    shot("charts")


def test_actor_and_outlet_pages_open_from_a_story(driver: WebDriver, server: str, shot: Shot) -> None:
    driver.get(server + "/?sort=disputed")
    driver.find_element(By.CSS_SELECTOR, "tr.story-row td.title a").click()
    WebDriverWait(driver, WAIT).until(lambda d: "/stories/" in d.current_url)
    driver.find_element(By.CSS_SELECTOR, "article.story .row a.badge").click()
    WebDriverWait(driver, WAIT).until(lambda d: "/actors/" in d.current_url)
    assert driver.find_element(By.ID, "claimed").is_displayed()
    shot("actor")
    driver.back()
    driver.find_element(By.CSS_SELECTOR, "table.matrix th.src a").click()
    WebDriverWait(driver, WAIT).until(lambda d: "/outlets/" in d.current_url)
    assert "claims hedged" in driver.find_element(By.CSS_SELECTOR, ".stats").text.lower()
    shot("outlet")
