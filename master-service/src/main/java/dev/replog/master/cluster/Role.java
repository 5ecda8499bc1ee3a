package dev.replog.master.cluster;

/** What this master instance is in the cluster. */
public enum Role {
    /** It holds the lease (or there is no sync cluster): it recovers, then takes writes. */
    ACTIVE,
    /** It waits for the lease; writes are redirected to the active master. */
    STANDBY,
    /** It led and stepped down (a newer epoch seen): it takes no writes until it is restarted. */
    DEPOSED
}
