package vap.console.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UploadedFile;
import vap.console.auth.Sessions.Session;
import vap.console.db.ConsoleDatabase;
import vap.console.search.FaceTable;
import vap.console.search.PastFaceSearch;
import vap.console.watchlist.Enrolments;
import vap.console.watchlist.GalleryView;
import vap.recognizer.feedback.FaceSource;
import vap.recognizer.watchlist.MatchThreshold;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Search the past for a face: an uploaded photo (its face chosen when it shows several), a stored face picked from
 * the appearances, or an enrolled person; the faces stored in the last N days, ranked by score, the watchlist's
 * threshold shown and the faces above it marked; each opens its crop.
 */
public final class PastFaceRoutes {
    private static final int RESULTS = 100;
    private static final int DEFAULT_DAYS = 30;

    private final ConsoleDatabase db;
    private final PastFaceSearch search;
    private final FaceTable table;
    private final GalleryView gallery;
    private final Enrolments uploads;
    private final MatchThreshold threshold;

    public PastFaceRoutes(ConsoleDatabase db, PastFaceSearch search, FaceTable table, GalleryView gallery,
                          Enrolments uploads, MatchThreshold threshold) {
        this.db = db;
        this.search = search;
        this.table = table;
        this.gallery = gallery;
        this.uploads = uploads;
        this.threshold = threshold;
    }

    public void register(RoutesConfig r) {
        r.get("/past-faces", this::page);
        r.post("/past-faces/upload", this::upload);
        r.post("/past-faces/choose", this::choose);
    }

    /** The form, or the results for {@code person} (enrolled) or {@code face} (a stored face's key). */
    private void page(Context ctx) throws Exception {
        Session s = Access.session(ctx);
        int days = days(ctx.queryParam("days"));
        String person = ctx.queryParam("person");
        String face = ctx.queryParam("face");
        if (person != null && !person.isBlank()) {
            GalleryView.Person p = gallery.find(person).orElseThrow(() -> new NotFoundResponse(
                    person + " is not enrolled (or not yet on the gallery topic: reload in a moment)"));
            results(ctx, s, days, p.embeddings(), "enrolled person <b>" + Html.esc(p.displayName()) + "</b> ("
                    + Html.esc(p.identityId()) + ", " + p.photos() + " photo(s)) "
                    + WatchlistRoutes.enrolledPhoto(p), "person=" + Html.esc(AlertRoutes.urlPart(person)));
        } else if (face != null && !face.isBlank()) {
            FaceSource source = table == FaceTable.APPEARANCES ? FaceSource.appearance(face) : FaceSource.sighting(face);
            float[] probe;
            try (Connection c = db.connect()) {
                probe = source.embedding(c).orElseThrow(() -> new NotFoundResponse("no such face: " + face));
            }
            results(ctx, s, days, List.of(probe), "the stored face <b>" + Html.esc(face) + "</b>",
                    "face=" + Html.esc(AlertRoutes.urlPart(face)));
        } else {
            ctx.html(Html.page("Search the past for a face", s, form(s, days, "")));
        }
    }

    private void upload(Context ctx) throws Exception {
        Session s = Access.session(ctx);
        int days = days(ctx.formParam("days"));
        UploadedFile file = ctx.uploadedFile("photo");
        if (file == null) {
            throw new BadRequestResponse("choose a photo");
        }
        Enrolments.Pending p = uploads.upload("search", null, "search",
                List.of(new Enrolments.Upload(file.filename(), file.content())));
        if (p.faces().isEmpty()) {
            uploads.embedding(p.token(), 0); // fails and clears the upload
        } else if (p.faces().size() == 1) {
            results(ctx, s, days, List.of(uploads.embedding(p.token(), 0)), "the uploaded photo's face", null);
        } else {
            StringBuilder faces = new StringBuilder();
            for (int i = 0; i < p.faces().size(); i++) {
                faces.append("<label class=\"choice\"><input type=\"radio\" name=\"face\" value=\"").append(i).append('"')
                        .append(i == 0 ? " checked" : "").append(" id=\"face-").append(i).append("\"><img class=\"thumb\" alt=\"face ")
                        .append(i + 1).append("\" src=\"data:image/jpeg;base64,")
                        .append(Base64.getEncoder().encodeToString(p.faces().get(i))).append("\"></label>\n");
            }
            ctx.html(Html.page("Which face to search for?", s, """
                    <p class="hint">The photo shows %d faces; choose the one to search for.</p>
                    <form method="post" action="/past-faces/choose" id="choose">%s
                    <input type="hidden" name="token" value="%s"><input type="hidden" name="days" value="%d">%s
                    <p><button id="choose-button">Search for this face</button></p></form>
                    """.formatted(p.faces().size(), Html.csrfField(s), Html.esc(p.token()), days, faces)));
        }
    }

    private void choose(Context ctx) throws Exception {
        Session s = Access.session(ctx);
        int face;
        try {
            face = Integer.parseInt(String.valueOf(ctx.formParam("face")));
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("choose a face");
        }
        float[] probe = uploads.embedding(String.valueOf(ctx.formParam("token")), face);
        results(ctx, s, days(ctx.formParam("days")), List.of(probe), "face " + (face + 1) + " of the uploaded photo", null);
    }

    private void results(Context ctx, Session s, int days, List<float[]> probes, String what, String again)
            throws Exception {
        float cut = threshold.at(gallery.people().size(), 1);
        PastFaceSearch.Result r;
        try (Connection c = db.connect()) {
            r = search.search(c, probes, Instant.now().minus(Duration.ofDays(days)), RESULTS, cut);
        }
        StringBuilder rows = new StringBuilder();
        for (PastFaceSearch.Hit h : r.hits()) {
            String img = h.crop() == null ? "" : "<a href=\"" + SearchRoutes.cropUrl(h.crop())
                    + "\" target=\"_blank\"><img class=\"thumb\" alt=\"face\" src=\"" + SearchRoutes.cropUrl(h.crop()) + "\"></a>";
            rows.append("<tr class=\"past-face").append(h.passes() ? " above" : "").append("\"><td>").append(img)
                    .append("</td><td").append(h.passes() ? " class=\"above\"" : "").append(">")
                    .append(String.format(Locale.ROOT, "%.3f", h.score())).append("</td><td>").append(Html.time(h.at()))
                    .append("</td><td><a href=\"/appearances?camera=").append(Html.esc(AlertRoutes.urlPart(h.camera())))
                    .append("\">").append(Html.esc(h.camera())).append("</a></td><td>")
                    .append(h.identity() == null ? "<i>unknown</i>" : Html.esc(h.identity())).append("</td></tr>\n");
        }
        String body = """
                <p id="past-summary">Searched %d faces of the last %d days for %s: <b id="past-above">%d</b> at or above
                the watchlist's threshold (%s %.3f, the one a single face needs against %d enrolled), best first.</p>
                <table id="past-results"><tr><th>Face</th><th>Score</th><th>Seen</th><th>Camera</th><th>Matched then</th></tr>
                %s</table>
                """.formatted(r.searched(), days, what, r.passing(), r.metric(), r.threshold(), gallery.people().size(), rows);
        if (again != null) {
            body += "<p><a href=\"/past-faces?" + again + "&amp;days=" + (days * 3) + "\">Search " + (days * 3)
                    + " days</a></p>";
        }
        ctx.html(Html.page("Past appearances", s, body + form(s, days, "<h2>Search for another face</h2>")));
    }

    private static String form(Session s, int days, String heading) {
        return heading + """
                <form method="post" action="/past-faces/upload" enctype="multipart/form-data" id="past-upload">%s
                <label>Photo <input type="file" name="photo" id="past-photo" accept="image/*" required></label>
                <label>Last <input type="number" name="days" id="past-days" min="1" max="3650" value="%d"> days</label>
                <button id="past-button">Search</button></form>
                <p class="hint">Or pick a face on the Appearances page ("find this face"), or an enrolled person on the
                Watchlist ("find past appearances").</p>
                """.formatted(Html.csrfField(s), days);
    }

    private static int days(String s) {
        if (s == null || s.isBlank()) {
            return DEFAULT_DAYS;
        }
        try {
            int d = Integer.parseInt(s.strip());
            if (d < 1 || d > 3650) {
                throw new BadRequestResponse("days: 1 to 3650");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("days must be a whole number");
        }
    }
}
