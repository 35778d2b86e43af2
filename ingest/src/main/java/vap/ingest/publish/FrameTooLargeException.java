package vap.ingest.publish;

/** A frame that cannot be sent: its record is larger than a Kafka request (or the topic) allows. */
public final class FrameTooLargeException extends RuntimeException {
    private final int recordBytes;
    private final int limitBytes;

    public FrameTooLargeException(String cameraId, int recordBytes, int limitBytes, int width, int height, int quality) {
        super("camera " + cameraId + ": a " + width + "x" + height + " frame encodes to " + recordBytes
                + " bytes, more than the " + limitBytes + " bytes a frames record may have (ingest.kafka.max.request.size"
                + " and the topic's max.message.bytes); the frame was dropped. Lower the camera's quality (now "
                + quality + "), set its max.width, or raise both limits.", null, false, false);
        this.recordBytes = recordBytes;
        this.limitBytes = limitBytes;
    }

    public int recordBytes() {
        return recordBytes;
    }

    public int limitBytes() {
        return limitBytes;
    }
}
