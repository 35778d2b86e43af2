package vap.detector.mtcnn;

import java.util.Locale;

/**
 * The order of the colour planes the MTCNN networks are fed. The weights were trained on RGB (the MATLAB release,
 * facenet's detect_face); face-api.js, whose outputs {@code MtcnnConformanceTest} pins, feeds BGR.
 */
public enum ChannelOrder {
    RGB, BGR;

    /** "rgb" or "bgr" (any case); throws naming the key otherwise. */
    public static ChannelOrder parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("detector.channels: '" + text + "' is not rgb or bgr");
        }
    }
}
