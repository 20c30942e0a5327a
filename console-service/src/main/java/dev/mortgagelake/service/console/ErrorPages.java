package dev.mortgagelake.service.console;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors as pages, without stack traces or internals. */
public class ErrorPages {

    @CheckedTemplate(basePath = "errors", requireTypeSafeExpressions = false)
    static class Templates {
        static native TemplateInstance error(int status, String title, String message);
    }

    /** A state-changing form without this session's token: stale page or a forged request from another site. */
    public static final class CsrfRefused extends RuntimeException {
        public CsrfRefused() {
            super("The form's security token is missing or does not match your session; reload the page and try again.");
        }
    }

    @ServerExceptionMapper
    public Response csrf(CsrfRefused e) {
        return page(403, "Form refused", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return page(404, "Not found", e.getMessage());
    }

    private static Response page(int status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(status, title, message).render()).build();
    }
}
