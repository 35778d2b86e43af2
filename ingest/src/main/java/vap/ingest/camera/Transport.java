package vap.ingest.camera;

import vap.core.config.ConfigException;

import java.util.Locale;

/** How RTSP media travels: interleaved in the RTSP TCP connection, or as separate UDP packets. */
public enum Transport {
    /** Survives NAT and firewalls and never loses packets (no smeared frames); the default. */
    TCP,
    /** Lower latency on a clean LAN; a lost packet corrupts the rest of that picture. */
    UDP;

    public static Transport parse(String where, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + " = '" + value + "' is not a transport: use tcp or udp");
        }
    }

    /** The value of FFmpeg's {@code rtsp_transport} option. */
    public String ffmpegName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
