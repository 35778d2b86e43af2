package vap.console.auth;

import vap.core.config.ConfigException;

import java.util.Locale;

/** What a console user may do; each role may do everything the ones before it may. */
public enum Role {
    /** Sees alerts, appearances, the watchlist and cameras. */
    VIEWER,
    /** Also acknowledges alerts and marks a match "not this person". */
    ANALYST,
    /** Also enrols and erases people. */
    ADMIN;

    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("unknown role '" + s + "': use viewer, analyst or admin");
        }
    }
}
