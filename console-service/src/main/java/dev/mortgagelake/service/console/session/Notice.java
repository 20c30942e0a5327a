package dev.mortgagelake.service.console.session;

import io.quarkus.qute.TemplateData;

/**
 * The outcome of the last action, shown once on the next page.
 *
 * @param kind    {@code ok}, {@code refused} (the owning service said no: role or four-eyes) or {@code error}
 * @param title   a short headline, e.g. "Refused by the four-eyes rule"
 * @param message the service's own words
 */
@TemplateData
public record Notice(String kind, String title, String message) {

    public static Notice ok(String title, String message) {
        return new Notice("ok", title, message);
    }

    public static Notice refused(String title, String message) {
        return new Notice("refused", title, message);
    }

    public static Notice error(String title, String message) {
        return new Notice("error", title, message);
    }
}
