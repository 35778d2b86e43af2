package vap.recognizer.watchlist;

/** FLAT: exact search, right up to a few hundred thousand identities. IVF: inverted lists for larger galleries. */
public enum IndexType {
    FLAT, IVF;

    public static IndexType parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown index type '" + s + "': use flat or ivf");
        }
    }
}
