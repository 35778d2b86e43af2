package vap.core.service;

import vap.core.observe.ServiceEndpoint;

/**
 * What {@link ServiceRunner} drives: a started service (ingest, detector, recognizer, sinks). Each has a
 * {@code static start(Settings, MeterRegistry)} that returns it running, or throws with a message saying what to fix.
 */
public interface Service extends AutoCloseable {

    /** Answered on {@code /health}: down when the service cannot do its work and should be restarted. */
    ServiceEndpoint.Health health();

    /** A report printed every {@code --status-every} and once on stop; empty: none. */
    default String report() {
        return "";
    }

    /** The exit code of a clean stop, decided before close: 0 unless the run itself failed. */
    default int exitCode() {
        return 0;
    }

    /** Stops the work and leaves the consumer groups; called once, inside the JVM shutdown hook on Ctrl-C. */
    @Override
    void close();
}
