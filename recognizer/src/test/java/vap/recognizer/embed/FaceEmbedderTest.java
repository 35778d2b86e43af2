package vap.recognizer.embed;

import ai.djl.Device;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.bytedeco.opencv.opencv_core.Mat;
import vap.recognizer.SampleFaces;
import vap.testsupport.SharedTestData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaceEmbedderTest {
    static FaceEmbedder embedder;
    /** The network alone (no mirror averaging), as face-api.js runs it. */
    static FaceEmbedder plain;
    static FaceEmbedder mirrorAveraged;

    @BeforeAll
    static void load() {
        embedder = new FaceEmbedder(new FaceEmbeddingNet(Device.cpu()), 4);
        plain = new FaceEmbedder(new FaceEmbeddingNet(Device.cpu()), 4, false);
        mirrorAveraged = new FaceEmbedder(new FaceEmbeddingNet(Device.cpu()), 3, true);
    }

    @AfterAll
    static void close() {
        embedder.close();
        plain.close();
        mirrorAveraged.close();
    }

    @Test
    void reproducesFaceApiReferenceDescriptorOfFaceRectangular() {
        Path faces = SharedTestData.faces();
        float[] reference = SharedTestData.floats(faces.resolve("reference/faceDescriptorRect.json"));
        float[] ours = plain.descriptors(List.of(SharedTestData.bgr(faces.resolve("scenes/face_rectangular.png")))).get(0);
        double distance = Embeddings.euclidean(ours, reference);
        System.out.printf("face_rectangular.png: Euclidean distance to the face-api.js descriptor %.4f%n", distance);
        // face-api.js's own test accepts a distance below 0.1.
        assertTrue(distance < 0.1, "distance to reference descriptor " + distance);
    }

    @Test
    void mirrorAveragingMakesTheEmbeddingBlindToAMirroredCrop() {
        Mat face = SharedTestData.bgr(SharedTestData.faces().resolve("identities/amy/amy1.png"));
        try (Mat mirrored = new Mat()) {
            flip(face, mirrored, 1);
            // The network alone sees a mirrored face as a (slightly) different one ...
            double plainSimilarity = Embeddings.dot(plain.embed(face), plain.embed(mirrored));
            assertTrue(plainSimilarity < 0.999, "plain network: face vs its mirror " + plainSimilarity);
            // ... the mirror-averaged embedding of both is the same mean of the same two descriptors.
            assertArrayEquals(mirrorAveraged.embed(face), mirrorAveraged.embed(mirrored), 1e-4f);
            // and it lies between the crop's and the mirror's own embeddings.
            double toPlain = Embeddings.dot(mirrorAveraged.embed(face), plain.embed(face));
            assertTrue(toPlain > plainSimilarity && toPlain < 1 - 1e-6, "averaged vs crop alone " + toPlain);
        }
    }

    @Test
    void batchedEqualsUnbatchedAndIsUnitLength() {
        Path faces = SharedTestData.faces();
        List<Mat> crops = List.of(
                SharedTestData.bgr(faces.resolve("identities/amy/amy1.png")),
                SharedTestData.bgr(faces.resolve("identities/penny/penny2.png")),
                SharedTestData.bgr(faces.resolve("scenes/face_rectangular.png")));
        List<float[]> batched = embedder.embed(crops);
        for (int i = 0; i < crops.size(); i++) {
            float[] single = embedder.embed(crops.get(i));
            assertArrayEquals(single, batched.get(i), 1e-4f, "face " + i);
            assertEquals(1.0, Embeddings.dot(single, single), 1e-5);
        }
    }

    @Test
    void sampleFacesBatchedEqualsUnbatchedAndIsUnitLength() {
        List<Mat> crops = SampleFaces.faces("sample1.jpg").stream().map(SampleFaces.Face::aligned).toList();
        List<float[]> batched = embedder.embed(crops);
        assertEquals(3, batched.size());
        for (int i = 0; i < crops.size(); i++) {
            float[] single = embedder.embed(crops.get(i));
            assertArrayEquals(single, batched.get(i), 1e-4f, "face " + i);
            assertEquals(1.0, Embeddings.dot(single, single), 1e-5);
        }
    }

    @Test
    void reAlignedOn68PointsBatchedEqualsUnbatchedAndStaysTheSameFace() {
        List<Mat> crops = SampleFaces.faces("sample1.jpg").stream().map(SampleFaces.Face::aligned).toList();
        try (FaceEmbedder refined = new EmbedConfig(true, 68).embedder(new FaceEmbeddingNet(Device.cpu()), 3)) {
            List<float[]> batched = refined.embed(crops);
            for (int i = 0; i < crops.size(); i++) {
                float[] single = refined.embed(crops.get(i));
                // The landmark net runs on the whole batch in one pass; a face's points must not depend on its batch.
                assertArrayEquals(single, batched.get(i), 1e-4f, "face " + i);
                assertEquals(1.0, Embeddings.dot(single, single), 1e-5);
                // A small correction of the chip: still clearly the same face as the 5-point chip's embedding.
                double toFivePoint = Embeddings.dot(single, mirrorAveraged.embed(crops.get(i)));
                System.out.printf("sample1 face %d: 68-point vs 5-point chip (both mirrored) %.4f%n", i, toFivePoint);
                assertTrue(toFivePoint > 0.97 && toFivePoint < 0.99999, "face " + i + ": " + toFivePoint);
            }
        }
    }

    @Test
    void aFaceIsCloserToItselfInAnotherRenditionThanToAnyOtherFace() {
        List<float[]> upright = embedder.embed(SampleFaces.faces("sample1.jpg").stream().map(SampleFaces.Face::aligned).toList());
        List<float[]> turned = embedder.embed(SampleFaces.faces("sample1.jpg", 10, 0.4).stream().map(SampleFaces.Face::aligned).toList());
        List<float[]> strangers = new ArrayList<>();
        for (String photo : List.of("sample2.jpg", "sample5.jpg")) {
            strangers.addAll(embedder.embed(SampleFaces.faces(photo).stream().map(SampleFaces.Face::aligned).toList()));
        }
        for (int i = 0; i < upright.size(); i++) {
            double same = Embeddings.dot(upright.get(i), turned.get(i));
            double closestOther = -1;
            for (int j = 0; j < upright.size(); j++) {
                if (j != i) {
                    closestOther = Math.max(closestOther, Embeddings.dot(upright.get(i), turned.get(j)));
                }
            }
            for (float[] s : strangers) {
                closestOther = Math.max(closestOther, Embeddings.dot(upright.get(i), s));
            }
            System.out.printf("sample1 face %d: similarity to its turned rendition %.3f, to the closest other face %.3f%n",
                    i, same, closestOther);
            assertTrue(same > closestOther + 0.05, "face " + i + ": itself " + same + ", closest other " + closestOther);
        }
    }
}
