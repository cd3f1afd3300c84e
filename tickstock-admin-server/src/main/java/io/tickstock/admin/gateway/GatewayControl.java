package io.tickstock.admin.gateway;

/** Actions on the gateway's connections; offered only by the gateway running in this process. */
public interface GatewayControl {
    /**
     * Drops and reopens one connection.
     *
     * @throws java.util.NoSuchElementException when no enabled connection has this id
     */
    void reconnect(String connectionId);
}
