package org.syncproducts.cli;

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
 * batch in flight, records itself as cancelled and exits 130 / 143. A second signal exits at once
 * (the committed batches are safe; the job row is then found stale by the next run).
 *
 * <p>Uses {@code sun.misc.Signal} from the jdk.unsupported module, the supported way for a Java
 * program to handle these signals itself rather than in a shutdown hook.
 */
final class SignalHandling implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalHandling.class);

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
                    Runtime.getRuntime().halt(exitCode);
                }
                LOG.warn("SIG{} received: stopping after the batch in flight (send it again to exit at once)", name);
                cancellation.cancel(exitCode, "SIG" + name);
            });
            signals.add(signal);
            previous.add(old);
        } catch (IllegalArgumentException e) {
            LOG.debug("cannot handle SIG{} on this platform: {}", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
