package dev.mortgagelake.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The checkout the build runs in, and the operations files in it. */
final class Repository {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private Repository() {
    }

    static Path root() {
        return Path.of(System.getProperty("lake.project.root", "..")).toAbsolutePath().normalize();
    }

    static Path file(String relative) {
        Path path = root().resolve(relative);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("Missing " + path);
        }
        return path;
    }

    static JsonNode yaml(String relative) {
        try {
            return YAML.readTree(file(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Grafana dashboards, parsed. */
    static List<JsonNode> dashboards() {
        List<JsonNode> dashboards = new ArrayList<>();
        try (Stream<Path> files = Files.list(root().resolve("deploy/grafana/dashboards"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(JSON.readTree(file.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dashboards;
    }

    /** Every alerting rule of deploy/prometheus/alerts.yml. */
    static List<JsonNode> alertRules() {
        List<JsonNode> rules = new ArrayList<>();
        yaml("deploy/prometheus/alerts.yml").get("groups").forEach(group -> group.get("rules").forEach(rule -> {
            if (rule.has("alert")) {
                rules.add(rule);
            }
        }));
        return rules;
    }

    /** Every PromQL expression a dashboard panel or an alert rule evaluates. */
    static List<String> promqlExpressions() {
        List<String> exprs = new ArrayList<>();
        alertRules().forEach(rule -> exprs.add(rule.get("expr").asText()));
        dashboards().forEach(dashboard -> dashboard.get("panels").forEach(panel ->
                panel.path("targets").forEach(target -> exprs.add(target.get("expr").asText()))));
        return exprs;
    }
}
