package io.tickstock.admin.internal.dashboard;

import io.tickstock.admin.GatewayApp;
import io.tickstock.core.config.Settings;
import io.tickstock.emulator.FaultSwitches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dashboard in headless Chromium against the whole gateway in demo mode (emulator feed). */
class DashboardBrowserIT {
    private static final String PASSWORD = "browser-test-pass";
    @TempDir
    Path dir;
    private GatewayApp app;
    private ChromeDriver driver;

    @BeforeEach
    void start() throws Exception {
        // Fail, never skip: a browser test that silently does not run proves nothing.
        assertThat(Browser.available())
                .as("needs Debian's chromium and chromium-driver (scripts/test installs them)").isTrue();
        Map<String, String> m = new HashMap<>();
        m.put("ADMIN_PORT", "0");
        m.put("ADMIN_PASSWORD", PASSWORD);
        m.put("ADMIN_AUDIT_LOG", dir.resolve("audit.log").toString());
        m.put("TICKSTOCK_DEMO_EVENTS_PER_SECOND", "3000");
        m.put("MASSIVE_WEBSOCKET_RECONNECT_DELAY", "2s");
        m.put("MASSIVE_WEBSOCKET_RECONNECT_MAX_DELAY", "3s");
        app = GatewayApp.start(Settings.of(m), new PrintStream(new ByteArrayOutputStream()));
        driver = Browser.start(dir.resolve("chromium-profile"), 1440, 1000);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + app.server().port();
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private long updates(int column) {
        Object v = js("return Number(document.getElementById('conn-' + arguments[0]).dataset.updates || 0);", column);
        return ((Number) v).longValue();
    }

    /** The element's text as in the DOM (not as CSS capitalises it). */
    private String text(String css) {
        return String.valueOf(js("const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : '';", css));
    }

    @Test
    void operatorWatchesPausesAndSeesAConnectionDropAndRecover() throws Exception {
        driver.get(base() + "/admin/websockets");
        assertThat(driver.getCurrentUrl()).contains("/login");
        driver.findElement(By.id("username")).sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys(PASSWORD);
        driver.findElement(By.id("login-submit")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith("/admin/websockets"));

        // three columns with the configured names and ticker counts
        assertThat(driver.findElements(By.cssSelector("section.conn"))).hasSize(3);
        assertThat(List.of(text("#conn-1 [data-field=name]"), text("#conn-2 [data-field=name]"),
                text("#conn-3 [data-field=name]"))).containsExactly("primary", "secondary", "tertiary");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(text("#conn-1 [data-field=ticker_count]")).isEqualTo("25");
            assertThat(text("#conn-2 [data-field=ticker_count]")).isEqualTo("25");
            assertThat(text("#conn-3 [data-field=ticker_count]")).isEqualTo("20");
            assertThat(text("#conn-1 .badge")).isEqualTo("connected");
        });
        assertThat(driver.getPageSource()).doesNotContain(PASSWORD);

        // prices change: the first symbol's price (alphabetical order, auto-scroll off) moves
        driver.findElement(By.id("chk-autoscroll")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> updates(1) > 50 && updates(2) > 50 && updates(3) > 50);
        String symbol = text("#conn-1 .tick-row .sym");
        String price = text("#conn-1 .tick-row .price");
        await().atMost(Duration.ofSeconds(10)).until(() -> text("#conn-1 .tick-row .sym").equals(symbol)
                && !text("#conn-1 .tick-row .price").equals(price));
        await().atMost(Duration.ofSeconds(5)).until(() -> !text("#conn-1 [data-field=msgs_per_sec]").equals("0.0"));

        // pause stops updates, resume restarts them
        driver.findElement(By.id("btn-pause")).click();
        await().atMost(Duration.ofSeconds(3)).until(() -> text("#stream-state").equals("paused"));
        long[] frozen = {updates(1), updates(2), updates(3)};
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> updates(1) == frozen[0] && updates(2) == frozen[1] && updates(3) == frozen[2]);
        driver.findElement(By.id("btn-pause")).click();
        await().atMost(Duration.ofSeconds(3)).until(() -> text("#stream-state").equals("live"));
        await().atMost(Duration.ofSeconds(5)).until(() -> updates(1) > frozen[0] && updates(3) > frozen[2]);

        // the emulator drops connection 2: red within 2 s, green after the reconnect, others keep flowing
        js("window.__badges = []; const b = document.querySelector('#conn-2 .badge');"
                + "new MutationObserver(() => window.__badges.push([Date.now(), b.textContent]))"
                + ".observe(b, {childList: true, characterData: true, subtree: true});");
        long before1 = updates(1);
        long before3 = updates(3);
        long dropAt = System.currentTimeMillis();
        int dropped = app.emulator().orElseThrow().faults().dropAbruptly(FaultSwitches.userAgentContains("connection_2"));
        assertThat(dropped).isEqualTo(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> List.of("error", "disconnected")
                .contains(text("#conn-2 .badge")) || redSeen());
        long redAt = firstRedAt();
        assertThat(redAt - dropAt).isLessThan(2_000);
        assertThat(driver.findElement(By.cssSelector("#conn-2 .badge")).getAttribute("class"))
                .matches(".*badge-(error|disconnected|connecting|connected).*");
        await().atMost(Duration.ofSeconds(15)).until(() -> text("#conn-2 .badge").equals("connected"));
        assertThat(updates(1)).isGreaterThan(before1);
        assertThat(updates(3)).isGreaterThan(before3);
        long after2 = updates(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> updates(2) > after2);

        // the page's own stream drops: a banner says so, and the page reconnects by itself
        app.server().stream().disconnectAll("test");
        await().atMost(Duration.ofSeconds(3)).until(() -> driver.findElement(By.id("reconnect-banner")).isDisplayed());
        assertThat(text("#banner-text")).contains("Reconnecting in");
        await().atMost(Duration.ofSeconds(10)).until(() -> !driver.findElement(By.id("reconnect-banner")).isDisplayed()
                && text("#stream-state").equals("live"));
        long afterReconnect = updates(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> updates(1) > afterReconnect);

        // a screenshot for the docs, with the list in its default newest-first mode
        driver.findElement(By.id("chk-autoscroll")).click();
        long beforeShot = updates(1);
        await().atMost(Duration.ofSeconds(3)).until(() -> updates(1) > beforeShot);
        Path shot = Path.of("target", "screenshots", "dashboard.png");
        Files.createDirectories(shot.getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(shot)).isGreaterThan(10_000);
    }

    @Test
    void anOpenDashboardGoesToTheLoginPageWhenItsSessionIsLoggedOutElsewhere() throws Exception {
        driver.get(base() + "/login");
        driver.findElement(By.id("username")).sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys(PASSWORD);
        driver.findElement(By.id("login-submit")).click(); // a same-origin form POST: its Origin must pass
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith("/admin/websockets"));
        await().atMost(Duration.ofSeconds(10)).until(() -> updates(1) > 5);
        assertThat(app.server().stream().sessionCount()).isEqualTo(1);
        // as if another tab logged out: the page itself keeps running, only its stream is closed
        js("fetch('/logout', {method: 'POST', credentials: 'same-origin', redirect: 'manual'});");
        // at once, not after the page's reconnect attempts (1 + 2 + 4 s) found the session gone
        await().atMost(Duration.ofSeconds(5)).until(() -> driver.getCurrentUrl().contains("/login?next="));
        assertThat(app.server().stream().sessionCount()).isZero();
        assertThat(Files.readAllLines(dir.resolve("audit.log"))).anyMatch(l -> l.contains("\"action\":\"logout\"")
                && l.contains("\"result\":\"ok\"")).anyMatch(l -> l.contains("1008 session ended"));
    }

    @Test
    void narrowScreensStackTheColumnsAndTheFullMetricsViewOpens() throws Exception {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(600, 1000));
        driver.get(base() + "/login");
        driver.findElement(By.id("username")).sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys(PASSWORD);
        driver.findElement(By.id("login-submit")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith("/admin/websockets"));
        int x1 = driver.findElement(By.id("conn-1")).getLocation().getX();
        int x2 = driver.findElement(By.id("conn-2")).getLocation().getX();
        int y1 = driver.findElement(By.id("conn-1")).getLocation().getY();
        int y2 = driver.findElement(By.id("conn-2")).getLocation().getY();
        assertThat(x2).isEqualTo(x1);
        assertThat(y2).isGreaterThan(y1);
        await().atMost(Duration.ofSeconds(10)).until(() -> updates(1) > 20);
        screenshot("dashboard-narrow.png");

        driver.findElement(By.id("btn-metrics")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> text("#metrics-body").contains("Connections")
                && text("#metrics-body").contains("secondary"));
        screenshot("metrics.png");
        // the components' figures (nested JSON such as massive_feed's per-connection maps) wrap inside the modal
        assertThat(text("#metrics-body")).contains("massive_feed");
        Object tooWide = js("const body = document.getElementById('metrics-body');"
                + "return Array.from(body.querySelectorAll('h3')).filter(h => h.textContent !== 'Connections')"
                + ".map(h => [h.textContent, h.nextElementSibling]).filter(([, t]) => t && t.tagName === 'TABLE'"
                + "  && t.getBoundingClientRect().right > body.getBoundingClientRect().right).map(([n]) => n);");
        assertThat((List<?>) tooWide).isEmpty();
        driver.findElement(By.id("metrics-close")).click();
        await().atMost(Duration.ofSeconds(2)).until(() -> !driver.findElement(By.id("metrics-modal")).isDisplayed());

        // the Reconnect button (after its confirmation) drops and reopens that connection only
        long sessionsBefore = app.emulator().orElseThrow().allSessions().size();
        js("window.confirm = () => true;");
        driver.findElement(By.cssSelector("#conn-3 .js-reconnect")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> text("#toolbar-note").startsWith("Reconnecting tertiary"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                app.emulator().orElseThrow().allSessions().size() == sessionsBefore + 1
                        && text("#conn-3 .badge").equals("connected"));
        assertThat(Files.readString(dir.resolve("audit.log"))).contains("\"action\":\"reconnect\"")
                .contains("POST /api/admin/connections/3/reconnect");

        driver.findElement(By.cssSelector("#conn-1 .js-toggle")).click();
        assertThat(driver.findElement(By.cssSelector("#conn-1 .conn-details")).isDisplayed()).isFalse();
        driver.findElement(By.cssSelector("#conn-1 .js-toggle")).click();
        assertThat(driver.findElement(By.cssSelector("#conn-1 .conn-details")).isDisplayed()).isTrue();
    }

    /** Emulates a device's viewport exactly (a window cannot be made narrower than Chromium's minimum). */
    private void viewport(int width, int height, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", mobile)); // 1: small screenshots; layout is in CSS px
    }

    private void login() {
        driver.get(base() + "/login");
        driver.findElement(By.id("username")).sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys(PASSWORD);
        driver.findElement(By.id("login-submit")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> driver.getCurrentUrl().endsWith("/admin/websockets"));
    }

    /** Ticker rows of a column wholly inside the viewport as first shown (scrolled to the top). */
    private long rowsOnFirstScreen(int column) {
        Object v = js("const h = window.innerHeight, w = window.innerWidth;"
                + "return Array.from(document.querySelectorAll('#conn-' + arguments[0] + ' .tick-row')).filter(r => {"
                + "  const b = r.getBoundingClientRect(); return r.style.display !== 'none' && b.height > 0"
                + "    && b.top >= 0 && b.bottom <= h && b.left >= 0 && b.right <= w; }).length;", column);
        return ((Number) v).longValue();
    }

    private void screenshot(String name) throws java.io.IOException {
        Path shot = Path.of("target", "screenshots", name);
        Files.createDirectories(shot.getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theTickerListIsOnTheFirstScreenOfAPhoneAndOfADesktop() throws Exception {
        viewport(390, 844, true);
        login();
        assertThat(js("return window.innerWidth;")).isEqualTo(390L);
        await().atMost(Duration.ofSeconds(10)).until(() -> updates(1) > 20);
        js("window.scrollTo(0, 0);");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(rowsOnFirstScreen(1)).as("rows of the first column on a 390x844 phone").isGreaterThanOrEqualTo(10));
        assertThat(((Number) js("return document.documentElement.scrollWidth;")).longValue())
                .as("no sideways scrolling").isLessThanOrEqualTo(390);
        screenshot("dashboard-390.png");

        viewport(1440, 900, false);
        driver.navigate().refresh();
        await().atMost(Duration.ofSeconds(10)).until(() -> updates(1) > 20 && updates(2) > 20 && updates(3) > 20);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (int c = 1; c <= 3; c++) {
                assertThat(rowsOnFirstScreen(c)).as("rows of column %d at 1440x900", c).isGreaterThanOrEqualTo(10);
            }
        });
        screenshot("dashboard-1440.png");
    }

    @Test
    void hostileValuesInTicksStatusAndMetricsBreakNothing() throws Exception {
        // before any page script: remember the page's WebSocket and every uncaught error
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.__errors = []; window.addEventListener('error', e => window.__errors.push(String(e.message)));"
                        + "window.addEventListener('unhandledrejection', e => window.__errors.push('rejection'));"
                        + "const W = window.WebSocket; window.__sockets = [];"
                        + "window.WebSocket = function (...a) { const s = new W(...a); window.__sockets.push(s); return s; };"
                        + "window.WebSocket.prototype = W.prototype; window.WebSocket.OPEN = W.OPEN;"));
        login();
        await().atMost(Duration.ofSeconds(10)).until(() -> updates(1) > 20 && text("#conn-1 .badge").equals("connected"));
        driver.findElement(By.id("chk-autoscroll")).click(); // alphabetical: the hostile rows' places are known

        String evil = "{\"toString\":1,\"valueOf\":1}";
        List<String> frames = List.of(
                "not json", "null", "42", "\"text\"", "[]", "{\"event\":null}", "{\"event\":{},\"data\":[]}",
                "{\"event\":\"tick_update\",\"data\":null}",
                "{\"event\":\"tick_update\",\"data\":\"AAPL\"}",
                "{\"event\":\"tick_update\",\"data\":" + evil + "}",
                "{\"event\":\"tick_update\",\"data\":[{\"connection_id\":\"connection_1\",\"symbol\":\"NANX\",\"price\":NaN}]}",
                "{\"event\":\"tick_update\",\"data\":[null, 5, \"x\", [], " + evil + ","
                        + "{\"connection_id\":\"connection_1\",\"symbol\":\"STRP\",\"price\":\"NaN\"},"
                        + "{\"connection_id\":\"connection_1\",\"symbol\":\"NULP\",\"price\":null},"
                        + "{\"connection_id\":\"connection_1\",\"symbol\":\"OBJP\",\"price\":" + evil + "},"
                        + "{\"connection_id\":\"connection_1\",\"symbol\":" + evil + ",\"price\":1},"
                        + "{\"connection_id\":" + evil + ",\"symbol\":\"OBJC\",\"price\":1},"
                        + "{\"connection_id\":\"connection_1\",\"price\":1},"
                        + "{\"connection_id\":\"connection_1\",\"symbol\":\"" + "L".repeat(5000) + "\",\"price\":1},"
                        + "{\"connection_id\":\"connection_1\",\"symbol\":\"AAAHUGE\",\"price\":1e308,"
                        + "\"received_at\":1e300,\"timestamp\":" + evil + "},"
                        + "{\"connection_id\":\"connection_1\",\"symbol\":\"AAANEG\",\"price\":-5,\"received_at\":\"soon\"}]}",
                "{\"event\":\"connection_status_update\",\"data\":null}",
                "{\"event\":\"connection_status_update\",\"data\":{\"connection_id\":\"connection_2\",\"status\":" + evil
                        + ",\"message\":[]}}",
                "{\"event\":\"metrics_update\",\"data\":null}",
                "{\"event\":\"metrics_update\",\"data\":{\"connections\":" + evil + ",\"summary\":[],\"nodes\":\"x\"}}",
                "{\"event\":\"metrics_update\",\"data\":{\"connections\":[null,1,{\"connection_id\":\"connection_3\","
                        + "\"status\":\"<b>weird</b>\",\"msgs_per_sec\":\"fast\",\"uptime\":" + evil + ",\"error_count\":" + evil
                        + ",\"last_error\":{\"a\":1},\"last_heartbeat\":12,\"ticker_count\":1e308}],"
                        + "\"summary\":{\"connected\":\"x\",\"total\":null,\"ticks_total\":" + evil + ",\"errors_total\":[]},"
                        + "\"nodes\":[null,{\"node_id\":" + evil + "},{\"node_id\":\"n\",\"connection_ids\":" + evil + "}]}}",
                "{\"event\":\"stream_state\",\"data\":" + evil + "}");
        // all frames in one script, read back in the same script: no real message can come in between
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) js("const s = window.__sockets[window.__sockets.length - 1];"
                + "for (const f of arguments[0]) s.dispatchEvent(new MessageEvent('message', {data: f}));"
                + "const t = (q) => document.querySelector(q).textContent.trim();"
                + "return {rate: t('#conn-3 [data-field=msgs_per_sec]'), errors: t('#conn-3 [data-field=error_count]'),"
                + "  lastError: t('#conn-3 [data-field=last_error]'), tickers: t('#conn-3 [data-field=ticker_count]'),"
                + "  badge: t('#conn-3 .badge'), bold: document.querySelectorAll('#conn-3 .badge b').length,"
                + "  badge2: t('#conn-2 .badge'), ticks: t('#sum-ticks'), connected: t('#sum-connected'),"
                + "  ignored: document.body.dataset.ignored};", frames);
        assertThat(seen).containsEntry("rate", "—").containsEntry("errors", "—").containsEntry("lastError", "—")
                .containsEntry("tickers", "1.000e+308").containsEntry("badge", "<b>weird</b>").containsEntry("bold", 0L)
                .containsEntry("badge2", "connected").containsEntry("ticks", "— ticks")
                .containsEntry("connected", "—/— connected");
        // every frame or tick that could not be used at all is counted: 8 frames (not JSON, not an object, ticks
        // not an array) and 12 ticks; frames of unknown events are skipped silently
        assertThat(seen.get("ignored")).isEqualTo("20");

        // what could be shown is shown, readably; what could not is skipped
        await().atMost(Duration.ofSeconds(3)).until(() -> text("#conn-1 .tick-row .sym").equals("AAAHUGE"));
        assertThat(text("#conn-1 .tick-row .price")).isEqualTo("1.0000e+308");
        assertThat(text("#conn-1 .tick-row .time")).isEqualTo("—");
        assertThat(String.valueOf(js("return Array.from(document.querySelectorAll('#conn-1 .tick-row .sym'))"
                + ".map(e => e.textContent).join(' ');"))).contains("AAANEG")
                .doesNotContain("NANX", "STRP", "NULP", "OBJP", "OBJC", "LLLL", "[object");
        assertThat((List<?>) js("return window.__errors;")).isEmpty();

        // and the page lives on: real ticks and metrics keep arriving and are drawn
        long before = updates(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> updates(2) > before + 20);
        await().atMost(Duration.ofSeconds(5)).until(() -> text("#conn-3 .badge").equals("connected")
                && !text("#conn-3 [data-field=msgs_per_sec]").equals("—"));
        assertThat(text("#sum-ticks")).matches("[0-9,]+ ticks");
        driver.findElement(By.id("btn-metrics")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> text("#metrics-body").contains("Connections"));
        assertThat((List<?>) js("return window.__errors;")).isEmpty();
    }

    private boolean redSeen() {
        return firstRedAt() > 0;
    }

    @SuppressWarnings("unchecked")
    private long firstRedAt() {
        List<List<Object>> log = (List<List<Object>>) js("return window.__badges || [];");
        for (List<Object> e : log) {
            if (List.of("error", "disconnected").contains(String.valueOf(e.get(1)))) {
                return ((Number) e.get(0)).longValue();
            }
        }
        return List.of("error", "disconnected").contains(text("#conn-2 .badge")) ? System.currentTimeMillis() : 0;
    }

    @SuppressWarnings("unused")
    private WebDriver driver() {
        return driver;
    }
}
