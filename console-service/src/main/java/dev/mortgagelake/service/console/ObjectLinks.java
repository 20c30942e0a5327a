package dev.mortgagelake.service.console;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns a lake location ({@code s3://bucket/key}) into a link a person can open, from the configured
 * template {@code lake.console.object-url} ({@code {bucket}} and {@code {key}} are replaced, URL-encoded),
 * e.g. the AWS console's object page. Without a template a location stays plain text: the console never
 * serves lake objects itself (that would widen what a role may read) and never guesses a URL.
 *
 * <p>Templates use it as {@code inject:objects.href(location)}; an empty string means "no link".
 */
@ApplicationScoped
@Named("objects")
public class ObjectLinks {

    private final Optional<String> template;

    @Inject
    public ObjectLinks(ConsoleConfig config) {
        this(config.objectUrl());
    }

    ObjectLinks(Optional<String> template) {
        this.template = template.map(String::strip).filter(t -> !t.isEmpty());
    }

    /** The link to {@code location}, or {@code ""} without a template or for anything that is not an {@code s3://} location. */
    public String href(String location) {
        if (template.isEmpty() || location == null || !location.startsWith("s3://")) {
            return "";
        }
        String path = location.substring("s3://".length());
        int slash = path.indexOf('/');
        if (slash <= 0) {
            return "";
        }
        return template.get()
                .replace("{bucket}", encode(path.substring(0, slash)))
                .replace("{key}", encode(path.substring(slash + 1)));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
