package vap.core.worker;

/** The innermost cause of a failure: what a log line or a retry message should name (not the wrappers around it). */
public final class RootCause {
    private RootCause() {
    }

    public static Throwable of(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** "ConnectException: Connection refused". */
    public static String describe(Throwable e) {
        Throwable t = of(e);
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
