package vap.detector.mtcnn;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import vap.models.ModelFile;
import vap.models.NativeHeap;
import vap.models.TfjsWeights;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The three networks, loaded once, and the predictors that run them. DJL predictors are not thread-safe, so each
 * detection call borrows a {@link Lease} of its own; the pool grows to the number of concurrent callers and the
 * weights stay shared and read-only.
 */
final class PredictorPool implements AutoCloseable {
    private final MtcnnNetwork pnet;
    private final MtcnnNetwork rnet;
    private final MtcnnNetwork onet;
    private final ConcurrentLinkedQueue<Lease> idle = new ConcurrentLinkedQueue<>();
    private final List<Lease> all = new ArrayList<>();

    /** Loads the networks from the weights of the MTCNN release (MODELS.md); nothing is downloaded. */
    PredictorPool(Device device) {
        NativeHeap.keepFreedMemory();
        TfjsWeights weights = TfjsWeights.fromManifest(ModelFile.MTCNN_MANIFEST, List.of(ModelFile.MTCNN_SHARD1));
        MtcnnNetwork p = null;
        MtcnnNetwork r = null;
        try {
            p = MtcnnNetwork.load(MtcnnNetwork.Stage.PNET, weights, device);
            r = MtcnnNetwork.load(MtcnnNetwork.Stage.RNET, weights, device);
            onet = MtcnnNetwork.load(MtcnnNetwork.Stage.ONET, weights, device);
        } catch (RuntimeException e) {
            if (p != null) {
                p.close();
            }
            if (r != null) {
                r.close();
            }
            throw e;
        }
        pnet = p;
        rnet = r;
    }

    /** A set of predictors for the caller alone, until it closes the lease. */
    Lease borrow() {
        Lease lease = idle.poll();
        if (lease != null) {
            return lease;
        }
        lease = new Lease(pnet.newPredictor(new PNetTranslator()), rnet.newPredictor(new RNetTranslator()),
                onet.newPredictor(new ONetTranslator()));
        synchronized (all) {
            all.add(lease);
        }
        return lease;
    }

    /** Closes every predictor and the networks; only after every lease has been given back. */
    @Override
    public void close() {
        synchronized (all) {
            all.forEach(Lease::dispose);
            all.clear();
            idle.clear();
        }
        pnet.close();
        rnet.close();
        onet.close();
    }

    /** One predictor per network; {@link #close()} gives them back to the pool. */
    final class Lease implements AutoCloseable {
        private final Predictor<NetInput, PNetTranslator.Maps> pnetPredictor;
        private final Predictor<NetInput, RNetTranslator.Scores> rnetPredictor;
        private final Predictor<NetInput, ONetTranslator.Scores> onetPredictor;

        private Lease(Predictor<NetInput, PNetTranslator.Maps> pnet, Predictor<NetInput, RNetTranslator.Scores> rnet,
                      Predictor<NetInput, ONetTranslator.Scores> onet) {
            this.pnetPredictor = pnet;
            this.rnetPredictor = rnet;
            this.onetPredictor = onet;
        }

        PNetTranslator.Maps pnet(NetInput input) {
            return forward(pnetPredictor, input, "P-Net");
        }

        RNetTranslator.Scores rnet(NetInput input) {
            return forward(rnetPredictor, input, "R-Net");
        }

        ONetTranslator.Scores onet(NetInput input) {
            return forward(onetPredictor, input, "O-Net");
        }

        @Override
        public void close() {
            idle.add(this);
        }

        private void dispose() {
            pnetPredictor.close();
            rnetPredictor.close();
            onetPredictor.close();
        }

        private static <O> O forward(Predictor<NetInput, O> predictor, NetInput input, String network) {
            try {
                return predictor.predict(input);
            } catch (TranslateException e) {
                throw new DetectionException(network + " failed: " + e.getMessage(), e);
            }
        }
    }
}
