package vap.ingest.decode;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * A picture as the codec produced it (no colour conversion yet), valid until the decoder's next grab.
 *
 * @param picture     FFmpeg's frame, in the codec's pixel format (usually yuv420p)
 * @param timestampUs presentation time in microseconds, as the source stamped it
 */
public record DecodedFrame(AVFrame picture, int width, int height, long timestampUs) {
}
