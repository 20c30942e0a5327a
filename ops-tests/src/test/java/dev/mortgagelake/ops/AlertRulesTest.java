package dev.mortgagelake.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus alert rules: valid, unit-tested with promtool, every alert tested and linked to its runbook. */
class AlertRulesTest {

    private static final Path PROMETHEUS = Repository.root().resolve("deploy/prometheus");

    @Test
    void theAlertUnitTestsPassUnderPromtool() {
        CommandRun run = CommandRun.of(PROMETHEUS, "promtool", "test", "rules", "alerts_test.yml");
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.output()).as(run.describe()).contains("SUCCESS");
    }

    @Test
    void theScrapeConfigAndItsRuleFileAreValid() {
        CommandRun run = CommandRun.of(PROMETHEUS, "promtool", "check", "config", "prometheus.yml");
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.output()).as(run.describe()).contains("1 rule files found");
    }

    @Test
    void everyAlertIsShownFiringInTheUnitTests() {
        Set<String> fired = new HashSet<>();
        Repository.yaml("deploy/prometheus/alerts_test.yml").get("tests").forEach(test ->
                test.path("alert_rule_test").forEach(check -> {
                    if (!check.path("exp_alerts").isEmpty()) {
                        fired.add(check.get("alertname").asText());
                    }
                }));
        List<String> alerts = Repository.alertRules().stream().map(rule -> rule.get("alert").asText()).toList();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(6);
        assertThat(fired).containsAll(alerts);
    }

    @Test
    void everyAlertLinksToARunbookThatExistsInOperationsDoc() {
        Set<String> anchors = headingAnchors(Repository.text("docs/OPERATIONS.md"));
        for (JsonNode rule : Repository.alertRules()) {
            String runbook = rule.path("annotations").path("runbook_url").asText("");
            assertThat(runbook).as(rule.get("alert").asText()).startsWith("docs/OPERATIONS.md#");
            assertThat(anchors).as("anchor of %s in docs/OPERATIONS.md", rule.get("alert").asText())
                    .contains(runbook.substring(runbook.indexOf('#') + 1));
            assertThat(rule.path("labels").path("severity").asText()).isIn("info", "warning", "critical");
        }
    }

    /** The anchors GitHub and most Markdown renderers derive from headings. */
    static Set<String> headingAnchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Matcher heading = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$").matcher(markdown);
        while (heading.find()) {
            anchors.add(heading.group(1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").trim().replace(' ', '-'));
        }
        return anchors;
    }
}
