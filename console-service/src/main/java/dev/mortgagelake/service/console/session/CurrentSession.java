package dev.mortgagelake.service.console.session;

import jakarta.enterprise.context.RequestScoped;

/** The session of the request being served; set by {@link SessionGate}. */
@RequestScoped
public class CurrentSession {

    private ConsoleSession session;

    void set(ConsoleSession session) {
        this.session = session;
    }

    /** The signed-in person (every page but the sign-in page has one). */
    public ConsoleSession get() {
        if (session == null) {
            throw new IllegalStateException("No console session on this request");
        }
        return session;
    }
}
