package org.syncproducts.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncproducts.ExitCode;
import org.syncproducts.sync.CancellationToken;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT and SIGTERM into a cancellation request while a job runs, so it stops after the
 * batches in flight, records itself as cancelled and exits 130 / 143. If it has not stopped
 * {@link #STOP_GRACE} later (a thread blocked on a lock, a read or a server), it exits anyway,
 * with the same code; so does a second signal, at once. The committed batches are safe either
 * way; the job is first recorded cancelled when the database takes that within
 * {@link #LAST_WORDS} (else the next run finds it and marks it interrupted). systemd's
 * {@code TimeoutStopSec} (120 s in the sample unit) is longer, so it never needs SIGKILL.
 *
 * <p>Uses {@code sun.misc.Signal} from the jdk.unsupported module, the supported way for a Java
 * program to handle these signals itself rather than in a shutdown hook.
 */
final class SignalHandling implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalHandling.class);

    /** How long a stop request waits for the run to end by itself before the process exits. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** How long an exit at once waits for the job to be recorded as cancelled. */
    static final Duration LAST_WORDS = Duration.ofSeconds(3);

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    static SignalHandling install(CancellationToken cancellation) {
        SignalHandling handling = new SignalHandling();
        handling.handle("INT", ExitCode.SIGINT, cancellation);
        handling.handle("TERM", ExitCode.SIGTERM, cancellation);
        return handling;
    }

    private void handle(String name, int exitCode, CancellationToken cancellation) {
        try {
            Signal signal = new Signal(name);
            SignalHandler old = Signal.handle(signal, received -> {
                if (cancellation.isCancelled()) {
                    LOG.warn("second SIG{}: exiting now", name);
                    cancellation.forceStop("stopped at once by a second SIG" + name, LAST_WORDS);
                    Runtime.getRuntime().halt(exitCode);
                }
                LOG.warn("SIG{} received: stopping after the batches in flight (send it again to exit at once)", name);
                cancellation.cancel(exitCode, "SIG" + name);
                exitAfterGrace(name, exitCode, cancellation);
            });
            signals.add(signal);
            previous.add(old);
        } catch (IllegalArgumentException e) {
            LOG.debug("cannot handle SIG{} on this platform: {}", name, e.getMessage());
        }
    }

    /** Ends the process {@link #STOP_GRACE} after a stop request, if nothing else ended it first. */
    private static void exitAfterGrace(String name, int exitCode, CancellationToken cancellation) {
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(STOP_GRACE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            String why = "stopped by SIG" + name + ": the run was still blocked " + STOP_GRACE.toSeconds()
                    + " s later, so it ends now";
            cancellation.forceStop(why, LAST_WORDS);
            System.err.println("sync-products: " + why + "; committed batches are kept and the next run "
                    + "continues from the checkpoint");
            System.err.flush();
            Runtime.getRuntime().halt(exitCode);
        }, "stop-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
