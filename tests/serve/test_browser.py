"""The web questionnaire in a real browser (headless Chromium, no script of ours needed):
played to the end in each language, the decision shown is the one `evaluate` makes of the
downloaded profile. Screenshots go to test-artifacts/questionnaire/ (not kept in git).

Chromium and its driver come from Debian's packages (chromium, chromium-driver: .ci/run
installs them); the test is skipped where they are not installed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import load_questions
from eligibility.questionnaire.session import open_session, replay
from eligibility.questionnaire.step import prompt_key, prompt_of
from eligibility.rules.loader import RuleSet
from tests.chromium import CHROMIUM_FLAGS
from tests.conftest import FIXTURES, ROOT, RULES
from tests.serve.conftest import Server
from tests.serve.forms import Answer, answer_as

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "test-artifacts" / "questionnaire"
FLAGS = (
    *CHROMIUM_FLAGS,
    "--disable-dev-shm-usage",
    "--window-size=1100,1600",
)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[tuple[WebDriver, Path]]:
    """A headless Chromium with a fresh profile, and the folder it downloads to."""
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    prefs = {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    try:
        yield driver, downloads
    finally:
        driver.quit()


def _press(driver: WebDriver, selector: str) -> None:
    """Click a submit button and wait for the next page."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, selector).click()
    # While the page is replaced the driver may answer that the old page's node "does not
    # belong to the document": that is the page going, asked again.
    wait = WebDriverWait(driver, 30, ignored_exceptions=[WebDriverException])
    wait.until(expected_conditions.staleness_of(page))
    # the next page whole, not a document still being replaced
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def _question(driver: WebDriver) -> str | None:
    """The key of the question on the page (None for any other page)."""
    found = driver.find_elements(By.CSS_SELECTOR, "input[name=prompt]")
    return found[0].get_attribute("value") if found else None


def _answer(driver: WebDriver, answer: Answer) -> None:
    """Tick (or type) the answer as a person would, then go on."""
    if answer.dont_know:
        _press(driver, "button[value=dontknow]")
        return
    if answer.number is not None:
        box = driver.find_element(By.CSS_SELECTOR, "input[name=value]")
        box.clear()
        box.send_keys(answer.number)
    for name, values in (
        ("value", answer.picks),
        ("tick", answer.ticks),
        ("unsure", answer.unsure),
    ):
        for v in values:
            driver.find_element(By.CSS_SELECTOR, f'input[name={name}][value="{v}"]').click()
    _press(driver, "button[value=answer]")


def _step_statuses(driver: WebDriver, journey: str) -> list[str]:
    """The status of each step in the table under a journey's heading, as a class name."""
    cells = driver.find_elements(
        By.XPATH,
        f"//h3[@id='{journey}']/following-sibling::*[self::h3 or self::table][1]"
        "[self::table]//td[contains(@class, 'status')]",
    )
    return [c.get_attribute("class").removeprefix("status ") for c in cells]


def _downloaded(folder: Path) -> Path:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == ".yaml"]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"nothing was downloaded to {folder}")


@pytest.mark.parametrize(
    ("lang", "fixture"),
    [("en", "hospital-ehr.yaml"), ("fr", "primary-care-practice.yaml")],
)
def test_a_questionnaire_played_in_a_browser_decides_as_evaluate(
    server: Server, browser: tuple[WebDriver, Path], ruleset: RuleSet, lang: str, fixture: str
) -> None:
    """Start, answer every question (grouped ones ticked as `ask` would be typed to), download
    the profile: the questions were those of `ask`; the journeys the page says apply (or
    are undetermined), and each of their steps' status, are those `evaluate` finds in the
    downloaded file; `ask --from` takes the file and asks nothing more."""
    driver, downloads = browser
    target = yaml.safe_load((FIXTURES / "profiles" / fixture).read_text())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.get(f"{server.url}/?lang={lang}")
    box = driver.find_element(By.ID, "id")
    box.clear()
    box.send_keys(target["id"])
    _press(driver, "button[value=start]")
    driver.save_screenshot(str(ARTIFACTS / f"question-{lang}.png"))
    questions = load_questions(RULES)
    asked: list[str] = []
    while (key := _question(driver)) is not None:
        asked.append(key)
        assert len(asked) <= len(FIELDS), "the questionnaire never ended"
        prompt = prompt_of(questions, key)
        assert prompt is not None, key
        if len(prompt.fields) > 1 and not any("+" in k for k in asked[:-1]):
            driver.save_screenshot(str(ARTIFACTS / f"grouped-{lang}.png"))
        _answer(driver, answer_as(questions, prompt, target))
    session, _ = open_session(ruleset, questions)
    replay(session, target)
    assert asked == [prompt_key(p) for p in session.asked]
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    assert driver.find_element(By.ID, "plan").is_displayed()
    driver.save_screenshot(str(ARTIFACTS / f"decision-{lang}.png"))
    driver.find_element(By.ID, "download").click()
    saved = _downloaded(downloads)
    assert saved.name == f"{target['id']}.yaml"
    result = CliRunner().invoke(cli, ["evaluate", str(saved), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    journeys = json.loads(result.stdout)["journeys"]
    for status in ("applies", "undetermined"):
        section = driver.find_elements(By.CSS_SELECTOR, f"h3 .status.{status}")
        shown = {e.find_element(By.XPATH, "..").get_attribute("id") for e in section}
        assert shown == {j["id"] for j in journeys if j["status"] == status}
    for journey in (j for j in journeys if j["status"] != "not_applicable"):
        assert _step_statuses(driver, journey["id"]) == [s["status"] for s in journey["steps"]]
    resumed = CliRunner().invoke(cli, ["ask", "--from", str(saved), "--format", "json"], input="")
    assert resumed.exit_code == 0, resumed.stderr
    assert json.loads(resumed.stdout)["journeys"] == journeys
