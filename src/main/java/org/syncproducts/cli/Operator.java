package org.syncproducts.cli;

import java.time.Duration;
import java.util.Map;
import org.syncproducts.ExitCode;
import org.syncproducts.SyncProductsException;
import org.syncproducts.config.Durations;

/** Who runs a command that records an operator's action, and parsing of operators' flag values. */
final class Operator {
    private Operator() {
    }

    /** {@code --by} when given, else user@host from the environment. */
    static String name(String by, Map<String, String> env) {
        if (by != null && !by.isBlank()) {
            return by.strip();
        }
        String user = env.getOrDefault("USER", System.getProperty("user.name", "unknown"));
        return user + "@" + host(env);
    }

    /** This machine's name: HOSTNAME from the environment, else what the resolver says. */
    static String host(Map<String, String> env) {
        String host = env.get("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }

    /** A duration flag (30s, 25m, 2h, 7d); a bad one is a usage error naming the flag. */
    static Duration duration(String text, String flag) {
        Duration duration;
        try {
            duration = Durations.parse(text, flag);
        } catch (SyncProductsException e) {
            throw new SyncProductsException(ExitCode.USAGE, e.getMessage());
        }
        if (duration.isZero()) {
            throw new SyncProductsException(ExitCode.USAGE, flag + " must be longer than 0");
        }
        return duration;
    }
}
