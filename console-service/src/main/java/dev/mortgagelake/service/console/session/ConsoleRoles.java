package dev.mortgagelake.service.console.session;

/**
 * The operator roles as the identity provider names them (the same names as the services'
 * {@code OperatorRoles}). The console uses them only to decide which buttons to show: every action is
 * authorised again by the service that owns it, with the person's own credentials, so showing a button
 * never grants anything.
 */
public final class ConsoleRoles {

    public static final String PLATFORM_OPERATOR = "platform-operator";
    public static final String QUALITY_ANALYST = "quality-analyst";
    public static final String QUALITY_APPROVER = "quality-approver";
    public static final String FINANCE_CONTROLLER = "finance-controller";

    private ConsoleRoles() {
    }
}
