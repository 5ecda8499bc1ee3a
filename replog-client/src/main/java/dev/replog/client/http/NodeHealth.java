package dev.replog.client.http;

import tools.jackson.databind.JsonNode;

/** What a node's {@code GET /health} says about it. */
public final class NodeHealth {

    private NodeHealth() {
    }

    /**
     * True for a master instance that is not the active master: its mode is STANDBY, or its
     * {@code role} is STANDBY or DEPOSED. Such a node takes no writes and its log is its own. A
     * secondary (no {@code mode}) and a master from before roles (no {@code role}) are not.
     */
    public static boolean inactiveMaster(JsonNode health) {
        if (health.path("mode").isMissingNode()) {
            return false;
        }
        String role = health.path("role").asString("ACTIVE");
        return "STANDBY".equals(health.path("mode").asString("")) || "STANDBY".equals(role) || "DEPOSED".equals(role);
    }
}
