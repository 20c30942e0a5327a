package dev.mortgagelake.quarkus.security;

/**
 * The operator roles (platform operator, quality analyst, quality approver, finance controller), as the identity provider (OIDC {@code groups}/roles claim, or the
 * embedded demo users) names them. Shared by every service with an operator API; each service
 * registers {@link OptionalOidcConfigSource} and declares the same demo users (olivia, quinn, rita,
 * fiona, and sam with both quality roles) in its application.properties. Who may do what on publish-service:
 * <pre>
 * read (tables, versions, held runs)   every role below
 * approve / reject a held run          finance-controller
 * roll back a table                    finance-controller
 * reconcile current/ now               platform-operator, finance-controller
 * </pre>
 * and on ingest-service:
 * <pre>
 * read backfill requests               every role above
 * request a backfill                   platform-operator
 * </pre>
 * and on retry-service (four eyes: the requester never decides their own request):
 * <pre>
 * read batches, rows, requests          platform-operator, quality-analyst, quality-approver
 * read the audit trail, conservation    every role above
 * request retry-now / extra / reprocess quality-analyst
 * approve / reject a request            quality-approver (not the requester)
 * </pre>
 */
public final class OperatorRoles {

    public static final String PLATFORM_OPERATOR = "platform-operator";
    public static final String QUALITY_ANALYST = "quality-analyst";
    public static final String QUALITY_APPROVER = "quality-approver";
    public static final String FINANCE_CONTROLLER = "finance-controller";

    private OperatorRoles() {
    }
}
