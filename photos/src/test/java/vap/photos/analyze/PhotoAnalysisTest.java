package vap.photos.analyze;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vap.recognizer.FaceAnalyzer;
import vap.detector.mtcnn.MtcnnConfig;
import vap.photos.SamplePhotos;
import vap.testsupport.SharedTestData;
import vap.photos.enrol.Enroller;
import vap.photos.enrol.FaceChoice;
import vap.photos.PhotoFaces;
import vap.recognizer.watchlist.Watchlist;
import vap.recognizer.watchlist.WatchlistConfig;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analyze command's CSV on photos in every image mode the seed met (palette, RGBA, grey, CMYK, 16-bit),
 * made here from the shared portraits, plus a corrupt file: one row per face, the right identity for each.
 */
class PhotoAnalysisTest {
    @Test
    void oneRowPerFaceForEveryImageMode(@TempDir Path dir) throws IOException {
        Path portraits = SharedTestData.identitiesAsPortraits(dir.resolve("portraits"));
        Path photos = Files.createDirectories(dir.resolve("photos"));
        write(portraits.resolve("amy/amy2.png"), BufferedImage.TYPE_BYTE_INDEXED, photos.resolve("amy-palette.png"));
        write(portraits.resolve("howard/howard2.png"), BufferedImage.TYPE_INT_ARGB, photos.resolve("howard-rgba.png"));
        write(portraits.resolve("leonard/leonard2.png"), BufferedImage.TYPE_BYTE_GRAY, photos.resolve("leonard-grey.png"));
        write(portraits.resolve("bernadette/bernadette2.png"), BufferedImage.TYPE_USHORT_GRAY, photos.resolve("bernadette-16bit.png"));
        writeCmykJpeg(portraits.resolve("penny/penny2.png"), photos.resolve("penny-cmyk.jpg"));
        Files.write(photos.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00});
        // The files really are in those modes: PNG colour type / bit depth from IHDR, JPEG components from SOF.
        assertEquals(3, pngHeader(photos.resolve("amy-palette.png"))[1], "palette PNG");
        assertEquals(6, pngHeader(photos.resolve("howard-rgba.png"))[1], "RGBA PNG");
        assertEquals(0, pngHeader(photos.resolve("leonard-grey.png"))[1], "grey PNG");
        assertEquals(16, pngHeader(photos.resolve("bernadette-16bit.png"))[0], "16-bit PNG");
        assertEquals(4, jpegComponents(photos.resolve("penny-cmyk.jpg")), "four-component JPEG");

        // Watchlist: each person's first photo only.
        Path watchlistDir = dir.resolve("watchlist");
        for (Map.Entry<Path, List<Path>> p : Enroller.peopleIn(portraits).entrySet()) {
            Path person = Files.createDirectories(watchlistDir.resolve(p.getKey().getFileName()));
            Files.copy(p.getValue().get(0), person.resolve(p.getValue().get(0).getFileName()));
        }

        StringWriter csv = new StringWriter();
        PhotoAnalysis.Summary summary;
        // A fixed cut below the genuine scores: this test is about reading every image mode (the CMYK portrait's
        // colours are off and score 0.916), the calibrated operating point is MatchThresholdTest's and vap eval's.
        WatchlistConfig fixedCut = WatchlistConfig.from(vap.core.config.Settings.of(Map.of("watchlist.threshold", "0.90")));
        try (FaceAnalyzer analyzer = new FaceAnalyzer("cpu", 8);
             PhotoFaces faces = new PhotoFaces(MtcnnConfig.defaults(), PhotoFaces.CropMode.ALIGNED);
             Watchlist watchlist = new Watchlist(fixedCut)) {
            new Enroller(faces, analyzer.embedder(), e -> watchlist.put(Watchlist.identityOf(e)))
                    .enrolFolder(watchlistDir, "test", (p, n) -> { });
            assertEquals(5, watchlist.size());
            summary = new PhotoAnalysis(faces, analyzer, watchlist).analyze(photos, new PrintWriter(csv), p -> { });
        }
        System.out.print(csv);
        List<String> lines = csv.toString().lines().toList();
        assertEquals(PhotoAnalysis.HEADER, lines.get(0));
        Map<String, String[]> byFile = lines.subList(1, lines.size()).stream().map(l -> l.split(","))
                .collect(Collectors.toMap(r -> r[0], r -> r));
        assertEquals(5, byFile.size(), "one row per face, one face per photo: " + byFile.keySet());
        for (String[] row : byFile.values()) {
            String person = row[0].substring(0, row[0].indexOf('-'));
            assertEquals(person, row[8], "identity of " + row[0] + ": " + Arrays.toString(row));
            assertEquals("true", row[11], row[0] + " matched");
            float age = Float.parseFloat(row[7]);
            assertTrue(age > 10 && age < 70, "age " + age);
        }
        assertEquals(6, summary.photos());
        assertEquals(1, summary.failed().size());
        assertTrue(summary.failed().get(0).contains("broken.jpg"), summary.failed().get(0));
    }

    @Test
    void oneRowPerFaceForEveryImageModeOfAGroupPhoto(@TempDir Path dir) throws IOException {
        // Without ../shared: sample1 (three people) in grey, its people enrolled from portraits cut out of it.
        Path grey = SamplePhotos.write("sample1.jpg", 960, true, dir.resolve("grey.png"));
        Path photos = Files.createDirectories(dir.resolve("photos"));
        write(grey, BufferedImage.TYPE_BYTE_INDEXED, photos.resolve("palette.png"));
        write(grey, BufferedImage.TYPE_INT_ARGB, photos.resolve("rgba.png"));
        write(grey, BufferedImage.TYPE_BYTE_GRAY, photos.resolve("grey.png"));
        write(grey, BufferedImage.TYPE_USHORT_GRAY, photos.resolve("sixteen.png"));
        writeCmykJpeg(grey, photos.resolve("cmyk.jpg"));
        Files.write(photos.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00});
        assertEquals(3, pngHeader(photos.resolve("palette.png"))[1], "palette PNG");
        assertEquals(6, pngHeader(photos.resolve("rgba.png"))[1], "RGBA PNG");
        assertEquals(0, pngHeader(photos.resolve("grey.png"))[1], "grey PNG");
        assertEquals(16, pngHeader(photos.resolve("sixteen.png"))[0], "16-bit PNG");
        assertEquals(4, jpegComponents(photos.resolve("cmyk.jpg")), "four-component JPEG");

        StringWriter csv = new StringWriter();
        PhotoAnalysis.Summary summary;
        Map<String, float[]> centres;
        try (FaceAnalyzer analyzer = new FaceAnalyzer("cpu", 8);
             PhotoFaces faces = new PhotoFaces(MtcnnConfig.defaults(), PhotoFaces.CropMode.ALIGNED);
             Watchlist watchlist = new Watchlist(WatchlistConfig.defaults())) {
            centres = SamplePhotos.portraits(grey, faces, dir.resolve("watchlist"));
            new Enroller(faces, analyzer.embedder(), e -> watchlist.put(Watchlist.identityOf(e)))
                    .enrolFolder(dir.resolve("watchlist"), "test", (p, n) -> { });
            assertEquals(3, watchlist.size());
            summary = new PhotoAnalysis(faces, analyzer, watchlist).analyze(photos, new PrintWriter(csv), p -> { });
        }
        System.out.print(csv);
        List<String> lines = csv.toString().lines().toList();
        assertEquals(PhotoAnalysis.HEADER, lines.get(0));
        assertEquals(1 + 5 * 3, lines.size(), "three rows for each of the five photos");
        for (String line : lines.subList(1, lines.size())) {
            String[] row = line.split(",");
            float cx = (Float.parseFloat(row[2]) + Float.parseFloat(row[4])) / 2;
            float cy = (Float.parseFloat(row[3]) + Float.parseFloat(row[5])) / 2;
            assertEquals(SamplePhotos.nearest(centres, 1, cx, cy), row[8], "identity of " + line);
            assertEquals("true", row[11], line + " matched");
            float age = Float.parseFloat(row[7]);
            assertTrue(age > 10 && age < 70, "age " + age);
        }
        assertEquals(6, summary.photos());
        assertEquals(15, summary.faces());
        assertEquals(1, summary.failed().size());
        assertTrue(summary.failed().get(0).contains("broken.jpg"), summary.failed().get(0));
    }

    @Test
    void embeddingsColumnHoldsEachFacesUnitEmbedding(@TempDir Path dir) throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        SamplePhotos.write("sample1.jpg", 960, false, photos.resolve("group.png"));
        StringWriter csv = new StringWriter();
        try (FaceAnalyzer analyzer = new FaceAnalyzer("cpu", 8);
             PhotoFaces faces = new PhotoFaces(MtcnnConfig.defaults(), PhotoFaces.CropMode.ALIGNED);
             Watchlist watchlist = new Watchlist(WatchlistConfig.defaults())) {
            new PhotoAnalysis(faces, analyzer, watchlist, true).analyze(photos, new PrintWriter(csv), p -> { });
        }
        List<String> lines = csv.toString().lines().toList();
        assertEquals(PhotoAnalysis.HEADER + "," + PhotoAnalysis.EMBEDDING_COLUMN, lines.get(0));
        assertEquals(1 + 3, lines.size(), "one row per face of the group photo");
        List<float[]> embeddings = new java.util.ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] row = line.split(",");
            assertEquals(13, row.length, line);
            String[] xs = row[12].split(" ");
            assertEquals(128, xs.length);
            float[] e = new float[128];
            double norm = 0;
            for (int i = 0; i < 128; i++) {
                e[i] = Float.parseFloat(xs[i]);
                norm += e[i] * e[i];
            }
            assertEquals(1.0, norm, 1e-4, "unit length");
            embeddings.add(e);
        }
        // Three different people: no two rows carry the same embedding.
        assertTrue(vap.recognizer.embed.Embeddings.dot(embeddings.get(0), embeddings.get(1)) < 0.99);
        assertTrue(vap.recognizer.embed.Embeddings.dot(embeddings.get(1), embeddings.get(2)) < 0.99);
    }

    /** {bit depth, colour type} of a PNG. */
    static int[] pngHeader(Path png) throws IOException {
        byte[] b = Files.readAllBytes(png);
        return new int[] {b[24] & 0xff, b[25] & 0xff};
    }

    static int jpegComponents(Path jpeg) throws IOException {
        byte[] b = Files.readAllBytes(jpeg);
        for (int i = 2; i + 9 < b.length; ) {
            int marker = b[i + 1] & 0xff;
            if (marker >= 0xC0 && marker <= 0xC2) {
                return b[i + 9] & 0xff;
            }
            i += 2 + (((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff));
        }
        return -1;
    }

    /** Re-encodes {@code source} as a PNG of the given java.awt image type (palette, RGBA, grey, 16-bit grey). */
    static void write(Path source, int type, Path target) throws IOException {
        BufferedImage in = ImageIO.read(source.toFile());
        BufferedImage out = new BufferedImage(in.getWidth(), in.getHeight(), type);
        WritableRaster r = out.getRaster();
        Raster src = in.getRaster();
        for (int y = 0; y < in.getHeight(); y++) {
            for (int x = 0; x < in.getWidth(); x++) {
                int v = src.getSample(x, y, 0); // the portraits are grey: one sample says it all
                switch (type) {
                    case BufferedImage.TYPE_BYTE_GRAY -> r.setSample(x, y, 0, v);
                    case BufferedImage.TYPE_USHORT_GRAY -> r.setSample(x, y, 0, v * 257);
                    case BufferedImage.TYPE_INT_ARGB -> out.setRGB(x, y, (0xC0 << 24) | (v << 16) | (v << 8) | v);
                    default -> out.setRGB(x, y, 0xFF000000 | (v << 16) | (v << 8) | v);
                }
            }
        }
        assertTrue(ImageIO.write(out, "png", target.toFile()), "no PNG writer for type " + type);
    }

    /** A four-component JPEG (Adobe-style inverted CMYK, K = no ink) of {@code source}. */
    static void writeCmykJpeg(Path source, Path target) throws IOException {
        BufferedImage in = ImageIO.read(source.toFile());
        WritableRaster cmyk = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, in.getWidth(),
                in.getHeight(), 4, null);
        for (int y = 0; y < in.getHeight(); y++) {
            for (int x = 0; x < in.getWidth(); x++) {
                int v = in.getRaster().getSample(x, y, 0);
                cmyk.setPixel(x, y, new int[] {v, v, v, 255});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream os = ImageIO.createImageOutputStream(target.toFile())) {
            writer.setOutput(os);
            writer.write(null, new IIOImage(cmyk, null, null), null);
        } finally {
            writer.dispose();
        }
    }
}
