package org.loes4j.linalg.spi;

import java.util.Objects;

/**
 * Whether a backend can run here; when not, {@code reason} says why in words a user can act on.
 */
public record Availability(boolean available, String reason) {

    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    public static Availability yes(String reason) {
        return new Availability(true, reason);
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
