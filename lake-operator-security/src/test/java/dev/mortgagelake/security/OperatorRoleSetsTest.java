package dev.mortgagelake.security;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorRoleSetsTest {

    private final OperatorRoleSets source = new OperatorRoleSets();

    private List<String> rolesOf(String expression) {
        assertThat(expression).startsWith("${").endsWith("}");
        String value = source.getValue(expression.substring(2, expression.length() - 1));
        assertThat(value).as("a property for %s", expression).isNotNull();
        return List.of(value.split(","));
    }

    @Test
    void everyRoleSetExpressionResolvesToItsRoles() {
        assertThat(rolesOf(OperatorRoles.EVERY_ROLE)).containsExactlyInAnyOrder(OperatorRoles.PLATFORM_OPERATOR,
                OperatorRoles.QUALITY_ANALYST, OperatorRoles.QUALITY_APPROVER, OperatorRoles.FINANCE_CONTROLLER);
        assertThat(rolesOf(OperatorRoles.QUARANTINE_READERS)).containsExactlyInAnyOrder(OperatorRoles.PLATFORM_OPERATOR,
                OperatorRoles.QUALITY_ANALYST, OperatorRoles.QUALITY_APPROVER);
        assertThat(rolesOf(OperatorRoles.TABLE_MAINTAINERS)).containsExactlyInAnyOrder(OperatorRoles.PLATFORM_OPERATOR,
                OperatorRoles.FINANCE_CONTROLLER);
        assertThat(source.getPropertyNames()).hasSize(OperatorRoles.SETS.size());
    }
}
