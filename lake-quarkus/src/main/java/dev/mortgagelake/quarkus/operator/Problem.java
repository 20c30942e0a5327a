package dev.mortgagelake.quarkus.operator;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mortgagelake.publish.check.CheckFailure;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Why an operator request could not be carried out, as an RFC 9457 problem document
 * ({@code application/problem+json}), the one error body of every service's operator API.
 *
 * <p>The standard members: {@code type} ({@code urn:mortgage-lake:problem:<code>}, stable, one per
 * {@code error} code), {@code title} (the code's short human description), {@code status} (the HTTP
 * status) and {@code detail} (what went wrong in this request). Extension members: {@code error} (the
 * code itself, e.g. {@code CONFLICT}, {@code FOUR_EYES}), {@code message} (the same text as
 * {@code detail}, kept for clients written against the first API) and, for a run refused by the
 * promotion checks, {@code failures}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(URI type, String title, int status, String detail, String error, String message, List<CheckFailure> failures) {

    /** The media type of a problem document. */
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(error, "error");
        failures = failures == null ? List.of() : List.copyOf(failures);
    }

    /** A problem of kind {@code code} with HTTP {@code status}, described by {@code title}, for this {@code detail}. */
    public static Problem of(int status, String code, String title, String detail, List<CheckFailure> failures) {
        String text = detail == null || detail.isBlank() ? title : detail;
        return new Problem(URI.create("urn:mortgage-lake:problem:" + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-')), title,
                status, text, code, text, failures);
    }
}
