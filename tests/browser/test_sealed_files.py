"""A sealed edition's files from content/ and its exports, opened in a real Chromium with the passphrase: the image
shows in its page, and each download keeps its original name, which only the sealed page knows."""
from generator.outputs import seal
from tests.browser.conftest import serving
from tests.browser.test_restricted import tab, unlock  # noqa: F401  (its tab fixture)
from tests.hostile.test_round3_sealed import PASSPHRASE, REPORT, salt_of, sealed  # noqa: F401  (the sealed brief)


def test_a_sealed_image_shows_and_sealed_files_download_under_their_names(tab, sealed):  # noqa: F811
    with serving(sealed.site, leaving=tab) as url:
        tab.goto(url + "index.html")
        unlock(tab)
        tab.wait_for_selector("article h1")
        key = seal.Key.derive(PASSPHRASE, salt_of(sealed))  # the page is not in the navigation: go by its name
        tab.goto(f"{url}{key.name('zqx-annex.html')}.html")  # the key stays for this tab
        tab.wait_for_selector("article h1:has-text('Annex')")
        tab.wait_for_function("() => document.querySelector('article img').naturalWidth > 0")
        assert tab.eval_on_selector("article img", "img => [img.naturalWidth, img.naturalHeight]") == [64, 48]
        with tab.expect_download() as found:
            tab.click("article a:text-is('The report')")
        assert found.value.suggested_filename == "zqx-report.pdf"
        assert open(found.value.path(), "rb").read() == REPORT
        tab.goto(f"{url}{key.name('data.html')}.html")
        tab.wait_for_selector("article h1:has-text('Data')")
        with tab.expect_download() as found:
            tab.click("article a[data-brief-sealed='data/bases.csv']")
        assert found.value.suggested_filename == "bases.csv"
        assert open(found.value.path(), "rb").read().startswith(b'"id","name"')
