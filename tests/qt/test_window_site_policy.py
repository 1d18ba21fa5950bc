"""A procedure opened in the window runs under the site file's `[clinical]` policy and name, as the
command line's rehearsal opens it (both through `config.opening_args`, issue 29): before, the
window opened every procedure with the built-in defaults and no site name."""

from __future__ import annotations

from kresladi_bedside.config import ClinicalConfig, SiteConfig, opening_args
from kresladi_bedside.engine.summary import site_policy
from kresladi_bedside.qt.pages import GatesPage

SITE = SiteConfig(site_name="Ward 9 infusion", clinical=ClinicalConfig(
    flush_warn_ml_per_kg=6.5, flush_max_ml_per_bag=40.0, priming_volume_ml=3.5))


def _open(b) -> None:
    b.sign_in()
    b.page.form.sampleButton.click()
    b.next()
    assert isinstance(b.page, GatesPage)


def test_the_sites_policy_and_name_reach_the_procedure_opened_in_the_window(bedside) -> None:
    b = bedside(site=SITE)
    _open(b)
    opened = b.session.events[0]
    assert opened.type == "procedure_opened"
    assert opened.data["site"] == "Ward 9 infusion"
    assert opened.data["policy"] == {"flush_warn_ml_per_kg": 6.5, "flush_max_ml_per_bag": 40.0,
                                     "priming_volume_ml": 3.5}
    # what the engine judges this procedure's flushes and priming by
    assert site_policy(b.session.state) == SITE.clinical
    # the window's opening is the command line's: one function
    wanted = opening_args(SITE)
    assert {k: opened.data[k] for k in wanted} == wanted


def test_a_window_without_a_site_file_records_the_defaults_it_runs_under(bedside) -> None:
    b = bedside()
    _open(b)
    opened = b.session.events[0]
    assert opened.data["policy"] == opening_args(SiteConfig())["policy"]
    assert site_policy(b.session.state) == ClinicalConfig()
