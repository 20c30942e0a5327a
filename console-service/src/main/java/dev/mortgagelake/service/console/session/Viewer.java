package dev.mortgagelake.service.console.session;

import io.quarkus.qute.TemplateData;

import java.util.List;

/**
 * The signed-in person as pages see them: name, roles (to decide which buttons to show), the form token
 * and the last action's notice. Holds no credential.
 */
@TemplateData
public record Viewer(String user, List<String> roles, String csrf, Notice notice, boolean analyst, boolean approver,
                     boolean finance, boolean operator) {

    public String roleList() {
        return String.join(", ", roles);
    }
}
