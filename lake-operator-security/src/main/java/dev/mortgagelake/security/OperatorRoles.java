package dev.mortgagelake.security;

import java.util.List;
import java.util.Map;

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

    // Role sets, for @RolesAllowed: an annotation cannot take an array constant, so each set is a
    // property expression that Quarkus expands into the set's roles (a list value is several roles);
    // OperatorRoleSets supplies the properties from SETS, the one place the sets are written down
    // (outside the lake.* prefix, which the services' config mappings validate strictly).

    /** Every operator role: reading tables, versions, held runs, runs, backfills, the audit trail, conservation. */
    public static final String EVERY_ROLE = "${operator-role-sets.every-role}";
    /** Who reads quarantine batches, rows and requests: platform-operator, quality-analyst, quality-approver. */
    public static final String QUARANTINE_READERS = "${operator-role-sets.quarantine-readers}";
    /** Who may reconcile current/ and _LATEST.json now: platform-operator, finance-controller. */
    public static final String TABLE_MAINTAINERS = "${operator-role-sets.table-maintainers}";

    /** The role sets by property name (the name inside each expression above). */
    static final Map<String, List<String>> SETS = Map.of(
            "operator-role-sets.every-role", List.of(PLATFORM_OPERATOR, QUALITY_ANALYST, QUALITY_APPROVER, FINANCE_CONTROLLER),
            "operator-role-sets.quarantine-readers", List.of(PLATFORM_OPERATOR, QUALITY_ANALYST, QUALITY_APPROVER),
            "operator-role-sets.table-maintainers", List.of(PLATFORM_OPERATOR, FINANCE_CONTROLLER));

    private OperatorRoles() {
    }
}
