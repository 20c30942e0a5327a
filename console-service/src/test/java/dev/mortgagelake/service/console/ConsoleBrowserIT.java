package dev.mortgagelake.service.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.local.LakeClient;
import dev.mortgagelake.local.LocalLake;
import dev.mortgagelake.local.RunOutcome;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.validation.reference.CurrencyAllowListDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator console in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium) against the real local lake: embedded SQS and S3 servers, the four services and the console
 * as processes, started once for this class, as is the browser.
 *
 * <p>The data: {@code lifecycle.csv} (4 valid rows, 2 in MXN, which is not on the allow-list yet, and one
 * hostile row whose values are HTML and a spreadsheet formula) is promoted with 3 rows quarantined; the
 * retries fail twice more and the rows are condemned (MAX_ATTEMPTS). {@code drift.csv} has a column the
 * contract does not know, so the audit gate holds it. Screenshots of the main pages go to docs/console/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(180);
    /** Where lake objects open (the AWS console's object page, as a deployment would configure it). */
    private static final String OBJECT_URL = "https://console.aws.amazon.com/s3/object/{bucket}?prefix={key}";
    private static final String HOSTILE_HTML = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    private static final String HOSTILE_FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")";

    private static Path work;
    private static LocalLake lake;
    private static LakeClient client;
    private static WebDriver browser;
    private static String console;
    private static String lifecycleRun;
    private static String heldRun;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("console-it");
        Path root = Path.of(System.getProperty("lake.project.root", "..")).toAbsolutePath().normalize();
        lake = LocalLake.start(root, work.resolve(".lake"), Map.of(
                // a shared 2-core machine can be slow to hand out the first SQS connection: the default 2 s
                // acquisition timeout failed the connector's GetQueueUrl at start-up for good
                "quarkus.sqs.async-client.connection-acquisition-timeout", "30s",
                "quarkus.sqs.async-client.connection-timeout", "20s",
                "lake.publish.audit.max-quarantine-rate", "1",
                "lake.publish.audit.row-count-factor", "1000",
                "lake.retry.backoff", "3s,3s",
                "lake.retry.sweep.every", "1s",
                "lake.retry.sweep.redispatch-after", "8s",
                "lake.retry.backlog.every", "2s",
                "lake.console.object-url", OBJECT_URL));
        client = lake.client();
        console = lake.console().toString();
        browser = chromium(work.resolve("chromium-profile"));

        Path lifecycle = work.resolve("lifecycle.csv");
        Files.writeString(lifecycle, String.join("\n",
                "TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp",
                "C-001,CC-1,100.00,EUR,2026-03-01T10:00:00Z",
                "C-002,CC-1,-20.00,EUR,2026-03-02T10:00:00Z",
                "C-003,CC-2,55.55,USD,2026-03-03T10:00:00Z",
                "C-004,CC-2,10.00,USD,2026-03-04T10:00:00Z",
                "C-101,CC-3,300.00,MXN,2026-03-05T10:00:00Z",
                "C-102,CC-3,-50.25,MXN,2026-03-06T10:00:00Z",
                "C-666,\"" + HOSTILE_HTML + "\",\"" + HOSTILE_FORMULA.replace("\"", "\"\"") + "\",EUR,2026-03-07T10:00:00Z") + "\n",
                StandardCharsets.UTF_8);
        RunOutcome first = client.awaitOutcome(client.land(lifecycle), WAIT);
        assertThat(first.outcome()).as(String.valueOf(first.detail())).isEqualTo("PROMOTED");
        lifecycleRun = first.runId();

        Path drift = work.resolve("drift.csv");
        Files.writeString(drift, String.join("\n",
                "TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp,Channel",
                "D-001,DC-1,12.00,EUR,2026-04-01T10:00:00Z,web",
                "D-002,DC-2,13.00,EUR,2026-04-02T10:00:00Z,branch",
                "D-003,DC-3,14.00,GBP,2026-04-03T10:00:00Z,web") + "\n", StandardCharsets.UTF_8);
        RunOutcome second = client.awaitOutcome(client.land(drift), WAIT);
        assertThat(second.outcome()).as("a run with an unknown column is held by the audit gate").isEqualTo("HELD");
        heldRun = second.runId();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (client != null) {
            client.close();
        }
        if (lake != null) {
            lake.close();
        }
    }

    @Test
    @Order(1)
    void anAnonymousVisitorAndAWrongPasswordAndAWrongRoleAreRefused() throws Exception {
        browser.manage().deleteAllCookies();
        open("/quarantine");
        assertThat(browser.getCurrentUrl()).as("an anonymous visitor is sent to sign in").contains("/login");
        assertThat(browser.findElements(By.id("requests"))).isEmpty();
        // A state-changing request without a session does nothing: 401, whatever it carries.
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(console + "/held-runs/" + heldRun + "/approve"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("reason=x&csrf=x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        browser.findElement(By.id("username")).sendKeys("quinn");
        browser.findElement(By.id("password")).sendKeys("wrong");
        browser.findElement(By.id("sign-in")).click();
        assertThat(text(By.id("login-error"))).contains("Wrong user name or password");

        // quinn (quality analyst) sees held runs without decision buttons; forging the form anyway is refused by publish-service.
        signIn("quinn");
        open("/held-runs");
        WebElement held = row("held-runs", "data-run-id", heldRun);
        assertThat(held.findElements(By.cssSelector("button.approve"))).isEmpty();
        forgePost("/held-runs/" + heldRun + "/approve", "reason", "I should not be able to");
        assertThat(text(By.id("notice"))).contains("refused by publish-service").contains("403");
        assertThat(api("fiona", "GET", "/operator/held-runs/" + heldRun, null, true).path("status").asText()).isEqualTo("PENDING");

        // fiona (finance controller) may not read quarantine batches, nor request reprocessing: retry-service refuses.
        signIn("fiona");
        open("/quarantine");
        assertThat(text(By.id("problem"))).contains("retry-service refused (403)");
        forgePost("/quarantine/batches/" + lifecycleRun + "/retry-now", "reason", "not my job");
        assertThat(text(By.id("notice"))).contains("refused by retry-service");

        // A form without the session's CSRF token is refused before any service is called.
        ((JavascriptExecutor) browser).executeScript("""
                const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];
                const r = document.createElement('input'); r.name = 'reason'; r.value = 'forged'; f.appendChild(r);
                document.body.appendChild(f); f.submit();""", "/held-runs/" + heldRun + "/reject");
        waitFor(() -> browser.findElements(By.id("error-title")).isEmpty() ? Optional.empty() : Optional.of(true));
        assertThat(text(By.id("error-title"))).isEqualTo("Form refused");
        assertThat(api("fiona", "GET", "/operator/held-runs/" + heldRun, null, true).path("status").asText()).isEqualTo("PENDING");
    }

    @Test
    @Order(2)
    void aHostileQuarantinedValueRendersAsText() throws Exception {
        signIn("quinn");
        open("/runs/" + lifecycleRun);
        WebElement rows = browser.findElement(By.id("quarantined-rows"));
        assertThat(rows.getText()).contains(HOSTILE_HTML).contains(HOSTILE_FORMULA);
        assertThat(rows.findElements(By.cssSelector("script, img, a[href^='http://evil']"))).as("no markup from the data").isEmpty();
        List<String> cells = rows.findElements(By.cssSelector("td.value")).stream().map(WebElement::getText).toList();
        assertThat(cells).contains(HOSTILE_HTML, HOSTILE_FORMULA);
        assertThat(browser.findElement(By.id("error-codes")).getText()).contains("CURRENCY_NOT_ALLOWED");
        assertThat(browser.findElement(By.id("counts")).getText()).contains("7").contains("4").contains("3");
        assertThat(browser.getPageSource()).doesNotContain("quinn-demo").doesNotContain("Basic ");
        // where the data is: Bronze and quarantine files link to the configured object page; the events are on the page
        List<String> links = browser.findElements(By.cssSelector("dl.facts a[href^='https://console.aws.amazon.com/s3/object/']")).stream()
                .map(a -> a.getAttribute("href")).toList();
        assertThat(links).anySatisfy(href -> assertThat(href).startsWith("https://console.aws.amazon.com/s3/object/lake-bronze?prefix="))
                .anySatisfy(href -> assertThat(href).startsWith("https://console.aws.amazon.com/s3/object/lake-quarantine?prefix="));
        assertThat(browser.findElement(By.id("run-record")).getAttribute("textContent")).contains(lifecycleRun).contains("\"validation\"");
        // the screenshot shows the error codes and the quarantined rows, hostile one included
        ((JavascriptExecutor) browser).executeScript("document.getElementById('error-codes').scrollIntoView();");
        screenshot("run-report");
    }

    @Test
    @Order(3)
    void anAnalystRequestsReprocessingHisOwnApprovalIsRefusedAnotherApproverApprovesAndTheRowsReachSilver() throws Exception {
        // The three quarantined rows fail attempts 2 and 3 (MXN is not allowed yet) and are condemned for MAX_ATTEMPTS.
        String condemnedBatch = waitFor(() -> {
            for (JsonNode batch : api("rita", "GET", "/quarantine/condemned?state=CONDEMNED", null, false)) {
                if (batch.path("error_counts").has("MAX_ATTEMPTS")) {
                    return Optional.of(batch.path("batch_run_id").asText());
                }
            }
            return Optional.empty();
        });
        addCurrency("MXN");

        signIn("sam");
        open("/quarantine");
        WebElement batch = row("condemned", "data-batch", condemnedBatch);
        batch.findElement(By.cssSelector("form[action$='/reprocess'] input[name=reason]")).sendKeys("MXN is on the allow-list now");
        batch.findElement(By.cssSelector("button.request-reprocess")).click();
        assertThat(text(By.id("notice"))).contains("filed");
        WebElement request = waitFor(() -> browser.findElements(By.cssSelector("#requests tr[data-batch='" + condemnedBatch + "']")).stream()
                .findFirst());
        String requestId = request.getAttribute("data-request-id");
        assertThat(request.getText()).contains("REPROCESS").contains("sam").contains("PENDING");
        screenshot("quarantine");

        // sam is a quality approver too, but not of his own request: the four-eyes refusal is shown as such.
        request.findElement(By.cssSelector("form[action$='/approve'] input[name=reason]")).sendKeys("looks fine to me");
        request.findElement(By.cssSelector("button.approve")).click();
        WebElement notice = browser.findElement(By.id("notice"));
        assertThat(notice.getAttribute("class")).contains("notice-refused");
        assertThat(notice.getText()).contains("Refused by the four-eyes rule").contains("four-eyes");
        assertThat(row("requests", "data-request-id", requestId).getText()).contains("PENDING");

        signIn("rita");
        open("/quarantine");
        WebElement pending = row("requests", "data-request-id", requestId);
        pending.findElement(By.cssSelector("form[action$='/approve'] input[name=reason]")).sendKeys("agreed with the vendor");
        pending.findElement(By.cssSelector("button.approve")).click();
        assertThat(text(By.id("notice"))).contains("Approved");
        assertThat(row("requests", "data-request-id", requestId).getText()).contains("APPROVED").contains("rita");

        // The approved attempt re-validates the rows: the MXN rows reach Silver in a promoted retry run.
        String retryRun = api("rita", "GET", "/quarantine/requests/" + requestId, null, false).path("decision").path("retry_run_id").asText();
        assertThat(retryRun).isNotBlank();
        JsonNode promoted = waitFor(() -> {
            JsonNode run = api("rita", "GET", "/operator/runs/" + retryRun, null, true);
            return "PROMOTED".equals(run.path("publication").asText()) ? Optional.of(run) : Optional.empty();
        });
        assertThat(promoted.path("validation").path("counts").path("silver").asLong()).isEqualTo(2);
        open("/runs/" + retryRun);
        assertThat(browser.findElement(By.id("counts")).getText()).contains("PROMOTED");
        assertThat(browser.findElement(By.id("lineage")).getText()).contains(condemnedBatch).contains(requestId);

        open("/audit?batch=" + condemnedBatch);
        String trail = browser.findElement(By.id("audit")).getText();
        assertThat(trail).contains("REQUESTED").contains("DECISION_REFUSED").contains("APPROVED").contains("sam").contains("rita");
        waitFor(() -> {
            open("/audit");
            return "holds".equals(text(By.id("conservation-verdict"))) ? Optional.of(true) : Optional.empty();
        });
        screenshot("audit");
    }

    @Test
    @Order(4)
    void aFinanceControllerApprovesAHeldRunAndRollsSilverBack() throws Exception {
        signIn("fiona");
        open("/held-runs");
        WebElement held = row("held-runs", "data-run-id", heldRun);
        assertThat(held.getText()).contains("SCHEMA_DRIFT").contains("Channel").contains("PENDING");
        screenshot("held-runs");
        held.findElement(By.cssSelector("form[action$='/approve'] input[name=reason]")).sendKeys("Channel column agreed with the partner");
        held.findElement(By.cssSelector("button.approve")).click();
        assertThat(text(By.id("notice"))).contains("promoted");
        assertThat(row("held-runs", "data-run-id", heldRun).getText()).contains("APPROVED").contains("fiona");
        JsonNode run = api("fiona", "GET", "/operator/runs/" + heldRun, null, true);
        assertThat(run.path("publication").asText()).isEqualTo("PROMOTED");
        long approvedVersion = run.path("table_version").asLong();

        open("/tables/silver.mortgages.transactions");
        assertThat(text(By.id("latest"))).contains(heldRun).contains("\"table_version\" : " + approvedVersion);
        // Without the confirmation nothing happens.
        browser.findElement(By.id("rollback-reason")).sendKeys("drifted run must not be current yet");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('rollback-confirm').removeAttribute('required');");
        browser.findElement(By.id("rollback-submit")).click();
        assertThat(text(By.id("notice"))).contains("not confirmed");
        assertThat(api("fiona", "GET", "/operator/tables", null, true).get(0).path("latest_version").asLong()).isEqualTo(approvedVersion);

        String target = new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("to-version"))).getFirstSelectedOption()
                .getAttribute("value");
        assertThat(Long.parseLong(target)).isEqualTo(approvedVersion - 1);
        browser.findElement(By.id("rollback-reason")).sendKeys("drifted run must not be current yet");
        browser.findElement(By.id("rollback-confirm")).click();
        browser.findElement(By.id("rollback-submit")).click();
        assertThat(text(By.id("notice"))).contains("ROLLBACK");
        WebElement newest = browser.findElement(By.cssSelector("#versions tbody tr"));
        assertThat(newest.getAttribute("data-version")).isEqualTo(Long.toString(approvedVersion + 1));
        assertThat(newest.getText()).contains("ROLLBACK").contains("fiona").contains("drifted run must not be current yet");
        JsonNode silver = api("fiona", "GET", "/operator/tables", null, true).get(0);
        assertThat(silver.path("latest_version").asLong()).isEqualTo(approvedVersion + 1);
        assertThat(silver.path("pointer").path("table_version").asLong()).isEqualTo(approvedVersion + 1);
        screenshot("table");

        open("/tables");
        assertThat(browser.findElement(By.id("tables")).getText()).contains("gold.finance.account_balances");
        screenshot("tables");
        open("/audit");
        assertThat(browser.findElement(By.id("publish-audit")).getText()).contains("ROLLBACK").contains("HELD_RUN_APPROVED");
    }

    @Test
    @Order(5)
    void theRunsPageListsAndFiltersRunsWithChartsDrawnByEcharts() throws Exception {
        signIn("olivia");
        open("/runs");
        String runs = browser.findElement(By.id("runs")).getText();
        assertThat(runs).contains(lifecycleRun).contains(heldRun).contains("RETRY");
        assertThat(row("runs", "data-run-id", lifecycleRun).getText()).contains("PROMOTED").contains("42.86%");
        for (String chart : List.of("chart-runs", "chart-errors")) {
            WebElement element = waitFor(() -> Optional.of(browser.findElement(By.id(chart)))
                    .filter(e -> "true".equals(e.getAttribute("data-rendered"))));
            assertThat(element.findElements(By.tagName("canvas"))).as(chart + " is drawn by ECharts").isNotEmpty();
        }
        screenshot("runs");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("kind"))).selectByValue("RETRY");
        browser.findElement(By.cssSelector("#run-filters button")).click();
        List<WebElement> retries = browser.findElements(By.cssSelector("#runs tbody tr[data-run-id]"));
        assertThat(retries).isNotEmpty().allSatisfy(r -> assertThat(r.getText()).contains("RETRY"));
        assertThat(browser.findElement(By.id("runs")).getText()).doesNotContain(heldRun);
        // Sign out ends the session: the pages ask for a sign-in again.
        browser.findElement(By.cssSelector("form[action='/login/out'] button")).click();
        open("/runs");
        assertThat(browser.getCurrentUrl()).contains("/login");
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("lake.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1440,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("lake.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    private static void open(String path) {
        browser.get(console + path);
    }

    private static void signIn(String user) {
        browser.manage().deleteAllCookies();
        open("/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(user + "-demo");
        browser.findElement(By.id("sign-in")).click();
        assertThat(text(By.id("signed-in-user"))).isEqualTo(user);
    }

    /** Submits a form the page did not offer (with the session's token): the owning service must still refuse. */
    private static void forgePost(String action, String field, String value) {
        ((JavascriptExecutor) browser).executeScript("""
                const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];
                for (const [n, v] of [[arguments[1], arguments[2]], ['csrf', document.querySelector("input[name=csrf]").value]]) {
                  const i = document.createElement('input'); i.name = n; i.value = v; f.appendChild(i);
                }
                document.body.appendChild(f); f.submit();""", action, field, value);
        waitFor(() -> browser.findElements(By.id("notice")).isEmpty() ? Optional.empty() : Optional.of(true));
    }

    private static WebElement row(String table, String attribute, String value) {
        return browser.findElement(By.cssSelector("#" + table + " tr[" + attribute + "='" + value + "']"));
    }

    private static String text(By by) {
        return browser.findElement(by).getText();
    }

    private static void screenshot(String name) throws Exception {
        Path dir = Path.of(System.getProperty("lake.console.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Calls a service's operator API directly (HTTP Basic as a demo user), for the test's own checks. */
    private static JsonNode api(String user, String method, String path, String body, boolean publish) {
        URI base = lake.endpoints().services().get(publish ? "publish-service" : "retry-service");
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-demo")
                            .getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return EventCodec.mapper().readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
    }

    private static void addCurrency(String code) {
        ObjectStore store = client.store();
        LakeLayout layout = client.layout();
        Location location = layout.currencyAllowList();
        CurrencyAllowListDocument current = CurrencyAllowListDocument.parse(store.read(location));
        TreeSet<String> codes = new TreeSet<>(current.codes());
        codes.add(code);
        store.replace(location, CurrencyAllowListDocument.of(codes, current.description()).toJson(), "application/json");
    }

    /** The probe's value once it has one; a page still being rebuilt (element missing or stale) counts as "not yet". */
    private static <T> T waitFor(Supplier<Optional<T>> probe) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsMatching(e -> e instanceof org.openqa.selenium.NoSuchElementException
                        || e instanceof org.openqa.selenium.StaleElementReferenceException)
                .until(probe::get, Optional::isPresent)
                .orElseThrow();
    }
}
