package io.tickstock.benchmarks.admin;

import io.tickstock.admin.GatewayApp;
import io.tickstock.core.config.Settings;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The dashboard in headless Chromium (Debian's {@code /usr/bin/chromium}): page load time (navigation
 * start to load event), time until every column shows live ticks, and the frame rate the page keeps
 * while a 503-ticker column (market_leaders:top_500) updates at the given event rate.
 *
 * <p>System properties: {@code rate} (events/s, default 20000), {@code loads} (10).
 * Run: {@code java -cp benchmarks/target/benchmarks.jar io.tickstock.benchmarks.admin.PageLoadHarness}
 */
public final class PageLoadHarness {
    private static final String PASSWORD = "bench-password-1";

    public static void main(String[] args) throws Exception {
        long rate = Long.getLong("rate", 20_000);
        int loads = Integer.getInteger("loads", 10);
        Path tmp = Files.createTempDirectory("tickstock-pageload");
        Map<String, String> m = new HashMap<>();
        m.put("ADMIN_PORT", "0");
        m.put("ADMIN_PASSWORD", PASSWORD);
        m.put("ADMIN_AUDIT_LOG", tmp.resolve("audit.log").toString());
        m.put("ADMIN_RATE_LIMIT_API", "10000/1m");
        m.put("ADMIN_RATE_LIMIT_WS", "10000/1m");
        m.put("TICKSTOCK_DEMO_EVENTS_PER_SECOND", Long.toString(rate));
        m.put("WEBSOCKET_CONNECTION_1_UNIVERSE_KEY", "market_leaders:top_500");
        m.put("WEBSOCKET_CONNECTION_2_SYMBOLS", "ZZA,ZZB,ZZC,ZZD,ZZE");
        m.put("WEBSOCKET_CONNECTION_3_SYMBOLS", "ZZF,ZZG,ZZH,ZZI,ZZJ");
        try (GatewayApp app = GatewayApp.start(Settings.of(m), new PrintStream(new ByteArrayOutputStream()))) {
            String base = "http://127.0.0.1:" + app.server().port();
            System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
            ChromeOptions o = new ChromeOptions();
            o.setBinary("/usr/bin/chromium");
            o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--user-data-dir=" + tmp.resolve("profile"), "--window-size=1440,1000");
            ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), o);
            try {
                driver.get(base + "/login");
                driver.findElement(By.id("username")).sendKeys("admin");
                driver.findElement(By.id("password")).sendKeys(PASSWORD);
                driver.findElement(By.id("login-submit")).click();
                JavascriptExecutor js = driver;
                long[] loadMs = new long[loads];
                long[] liveMs = new long[loads];
                for (int i = 0; i < loads; i++) {
                    long start = System.nanoTime();
                    driver.get(base + "/admin/websockets");
                    Number load = (Number) js.executeScript("const t = performance.getEntriesByType('navigation')[0];"
                            + "return t.loadEventEnd - t.startTime;");
                    loadMs[i] = load.longValue();
                    while (!(Boolean) js.executeScript("return [...document.querySelectorAll('section.conn')]"
                            + ".every(s => Number(s.dataset.updates || 0) > 0);")) {
                        Thread.sleep(5);
                    }
                    liveMs[i] = (System.nanoTime() - start) / 1_000_000;
                }
                Number fps = (Number) js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "let n = 0; const t0 = performance.now();"
                        + "function f(t) { n++; if (t - t0 < 3000) requestAnimationFrame(f); else done(n * 1000 / (t - t0)); }"
                        + "requestAnimationFrame(f);");
                Number rows = (Number) js.executeScript("return document.querySelectorAll('#conn-1 .tick-row').length;");
                Number symbols = (Number) js.executeScript("return Number(document.getElementById('conn-1').dataset.symbols);");
                Arrays.sort(loadMs);
                Arrays.sort(liveMs);
                System.out.printf("page load (navigation start to load event) over %d loads: median %d ms, max %d ms%n",
                        loads, loadMs[loads / 2], loadMs[loads - 1]);
                System.out.printf("page open to live ticks in every column: median %d ms, max %d ms%n",
                        liveMs[loads / 2], liveMs[loads - 1]);
                System.out.printf("frame rate with %d tickers in column 1 at %,d events/s: %.1f fps (%d DOM rows)%n",
                        symbols.intValue(), rate, fps.doubleValue(), rows.intValue());
            } finally {
                driver.quit();
            }
        }
        System.exit(0);
    }
}
