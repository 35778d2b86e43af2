package vap.detector.mtcnn;

/**
 * The face probability from a network's two logits (not-face, face), computed as PyTorch's softmax does (shifted
 * by their maximum): the networks' heads end in one stacked layer, so the softmax runs here, not as an operator.
 */
final class FaceSoftmax {
    private FaceSoftmax() {
    }

    static float probability(float notFace, float face) {
        float max = Math.max(notFace, face);
        float eNot = (float) Math.exp(notFace - max);
        float eFace = (float) Math.exp(face - max);
        return eFace / (eNot + eFace);
    }
}
