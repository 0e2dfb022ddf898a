#!/usr/bin/env python3
"""Drives `facemirror serve` in Debian's headless Chromium through chromium-driver (Selenium), as a
person would: opens the printed address, the studies page, the first study, its first video; plays
it and pauses (after a Run of its pending video, read as its progress moves); clicks a plot; edits the exam's timeline (adds a movement at the cursor, drags its end
edge) and saves; opens the second study (a large one) and measures how long its page takes. Prints
what it saw as JSON (the Swift test asserts on it) and keeps screenshots in SHOTS.

Usage: workspace_browser.py ADDRESS SHOTS
"""
import json
import re
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def main():
    address, shots = sys.argv[1], sys.argv[2]
    base = address.split("/?token=")[0]
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,1500", "--hide-scrollbars",
                 "--autoplay-policy=no-user-gesture-required", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(driver, 60)
    seen = {}
    try:
        driver.get(address)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#studies a"))
        seen["studies"] = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#studies a")]
        seen["address_after_key"] = driver.current_url
        driver.find_element(By.TAG_NAME, "body").screenshot(f"{shots}/workspace-studies.png")

        driver.find_element(By.CSS_SELECTOR, "#studies a").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#videos tbody tr"))
        seen["rows"] = len(driver.find_elements(By.CSS_SELECTOR, "#videos tbody tr"))

        # Run: the unprocessed video ticked, run; the progress line read as it moves, until the run ends.
        driver.find_element(By.ID, "select-unprocessed").click()
        seen["ticked"] = [p.get_attribute("value") for p in driver.find_elements(By.CSS_SELECTOR, "input.pick") if p.is_selected()]
        driver.find_element(By.ID, "run").click()
        lines, shot, deadline = [], False, time.time() + 240
        while time.time() < deadline:
            text = driver.find_element(By.ID, "progress").text
            if text and (not lines or lines[-1] != text):
                lines.append(text)
            part = re.search(r"patient02\.mp4: (\d+)/150 frames", text)
            if not shot and part and int(part.group(1)) >= 40:
                driver.find_element(By.TAG_NAME, "body").screenshot(f"{shots}/workspace-study.png")
                shot = True
            if driver.execute_script("return document.getElementById('run-panel').dataset.phase") == "ended":
                break
            time.sleep(0.1)
        seen["progress_seen"] = lines
        seen["run_phase"] = driver.execute_script("return document.getElementById('run-panel').dataset.phase")
        seen["status_after_run"] = {r.get_attribute("data-path"): r.find_element(By.CSS_SELECTOR, "td.status").text
                                    for r in driver.find_elements(By.CSS_SELECTOR, "#videos tbody tr")}
        seen["run_enabled_after"] = driver.find_element(By.ID, "run").is_enabled()
        driver.save_screenshot(f"{shots}/workspace-study-run.png")

        driver.find_element(By.CSS_SELECTOR, "a.video-link").click()
        wait.until(lambda d: d.find_elements(By.ID, "play"))
        wait.until(lambda d: d.execute_script("return Array.from(document.querySelectorAll('video.synced')).every(v => v.readyState >= 2)"))
        cursor = "return +document.querySelector('#plot-zones line.cursor').getAttribute('x1')"
        seen["cursor_at_start"] = driver.execute_script(cursor)
        driver.find_element(By.ID, "play").click()
        time.sleep(1.2)
        driver.find_element(By.ID, "play").click()
        time.sleep(0.3)
        seen["played_to"] = float(driver.execute_script("return document.body.dataset.time"))
        seen["cursor_after_play"] = driver.execute_script(cursor)
        seen["videos_after_play"] = driver.execute_script("return Array.from(document.querySelectorAll('video.synced')).map(v => v.currentTime)")

        # A click three quarters along the plot's time axis.
        plot = driver.find_element(By.ID, "plot-zones")
        axis = driver.execute_script("var d = arguments[0].dataset; return [+d.t0, +d.t1, +d.x0, +d.x1, arguments[0].viewBox.baseVal.width]", plot)
        t0, t1, x0, x1, units = axis
        width = plot.rect["width"]
        target = x0 + 0.75 * (x1 - x0)
        ActionChains(driver).move_to_element_with_offset(plot, target / units * width - width / 2, 0).click().perform()
        time.sleep(0.5)
        seen["seek_expected"] = t0 + 0.75 * (t1 - t0)
        seen["seek_time"] = float(driver.execute_script("return document.body.dataset.time"))
        seen["videos_after_seek"] = driver.execute_script("return Array.from(document.querySelectorAll('video.synced')).map(v => v.currentTime)")
        seen["cursor_after_seek"] = driver.execute_script(cursor)
        seen["cursor_expected"] = target
        driver.find_element(By.TAG_NAME, "body").screenshot(f"{shots}/workspace-video.png")

        # The timeline: a soft smile at the cursor (back to a quarter of the way), its end dragged later, saved.
        ActionChains(driver).move_to_element_with_offset(plot, (x0 + 0.25 * (x1 - x0)) / units * width - width / 2, 0).click().perform()
        time.sleep(0.3)
        driver.find_element(By.CSS_SELECTOR, "#segment-code option[value='SS']").click()
        driver.find_element(By.ID, "segment-add").click()
        strip = driver.find_element(By.ID, "exam-strip")
        added = json.loads(driver.execute_script("return document.getElementById('exam').dataset.segments"))
        seen["segments_after_add"] = added
        smile = next(s for s in added if s["action"] == "SS")
        strip_units = driver.execute_script("return arguments[0].viewBox.baseVal.width", strip)
        strip_width = strip.rect["width"]
        sx0, sx1 = float(strip.get_attribute("data-x0")), float(strip.get_attribute("data-x1"))
        st0, st1 = float(strip.get_attribute("data-t0")), float(strip.get_attribute("data-t1"))

        def px(t):
            return (sx0 + (t - st0) / (st1 - st0) * (sx1 - sx0)) / strip_units * strip_width - strip_width / 2
        end_px, shift_px = px(smile["end"]) - 1, 0.1 / (st1 - st0) * (sx1 - sx0) / strip_units * strip_width
        ActionChains(driver).move_to_element_with_offset(strip, end_px, 0).click_and_hold() \
            .move_by_offset(shift_px / 2, 0).move_by_offset(shift_px / 2, 0).release().perform()
        seen["segments_after_drag"] = json.loads(driver.execute_script("return document.getElementById('exam').dataset.segments"))
        driver.find_element(By.ID, "timeline-undo").click()
        seen["segments_after_undo"] = json.loads(driver.execute_script("return document.getElementById('exam').dataset.segments"))
        ActionChains(driver).move_to_element_with_offset(strip, end_px, 0).click_and_hold() \
            .move_by_offset(shift_px / 2, 0).move_by_offset(shift_px / 2, 0).release().perform()
        seen["segments_saved"] = json.loads(driver.execute_script("return document.getElementById('exam').dataset.segments"))
        old = driver.find_element(By.TAG_NAME, "html")
        driver.find_element(By.ID, "timeline-save").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "html") != old and d.find_elements(By.ID, "exam-source"))
        seen["exam_source"] = driver.find_element(By.ID, "exam-source").text
        seen["exam_rows"] = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#exam-zones tr")][1:]
        seen["exam_warnings"] = [p.text for p in driver.find_elements(By.CSS_SELECTOR, "#exam p.failed")]
        driver.save_screenshot(f"{shots}/workspace-video-edited.png")

        # The large study: how long its page takes to load, as the browser measures it.
        driver.get(base + "/study/2")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#videos tbody tr"))
        seen["large_rows"] = len(driver.find_elements(By.CSS_SELECTOR, "#videos tbody tr"))
        seen["large_load_ms"] = driver.execute_script(
            "var n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime")
        search = driver.find_element(By.ID, "search")
        search.send_keys("patient-077")
        seen["large_shown_after_search"] = driver.find_element(By.ID, "shown").text

        urls = set()
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                urls.add(message["params"]["request"]["url"])
        seen["requests_elsewhere"] = sorted(u for u in urls if not u.startswith(base + "/") and not u.startswith("data:"))
        seen["requests"] = len(urls)
        seen["console_errors"] = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
