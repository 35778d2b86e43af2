package vap.console.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.console.auth.Role;
import vap.console.auth.Sessions.Session;
import vap.console.db.ConsoleDatabase;
import vap.console.watchlist.Enrolments;
import vap.console.watchlist.GalleryView;
import vap.photos.enrol.Enrolment;
import vap.recognizer.watchlist.GalleryPublisher;

import java.util.Base64;
import java.util.List;

/** The watchlist: who is enrolled (from the gallery topic), enrolment by upload, erasure, and the audit log. */
public final class WatchlistRoutes {
    private static final Logger log = LoggerFactory.getLogger(WatchlistRoutes.class);
    private final GalleryView gallery;
    private final GalleryPublisher publisher;
    private final Enrolments enrolments;
    private final ConsoleDatabase db;

    public WatchlistRoutes(GalleryView gallery, GalleryPublisher publisher, Enrolments enrolments, ConsoleDatabase db) {
        this.gallery = gallery;
        this.publisher = publisher;
        this.enrolments = enrolments;
        this.db = db;
    }

    public void register(RoutesConfig r) {
        r.get("/watchlist", ctx -> page(ctx, ""));
        r.post("/watchlist/enrol", this::upload);
        r.post("/watchlist/enrol/choose", this::choose);
        r.post("/watchlist/erase", this::erase);
        r.get("/watchlist/photo.jpg", this::photo);
    }

    /** The enrolled photo, while the person is enrolled (their tombstone removes it from the gallery view). */
    private void photo(Context ctx) {
        byte[] jpeg = gallery.find(ctx.queryParam("id")).map(GalleryView.Person::photoJpeg)
                .orElseThrow(() -> new io.javalin.http.NotFoundResponse("no enrolled photo"));
        ctx.contentType("image/jpeg").header("Cache-Control", "private, no-store").result(jpeg);
    }

    /** The enrolled photo's img tag, or an empty cell for people enrolled before photos were kept. */
    static String enrolledPhoto(GalleryView.Person p) {
        return p == null || p.photoJpeg() == null ? "" : "<img class=\"enrolled\" alt=\"enrolled photo of "
                + Html.esc(p.displayName()) + "\" src=\"/watchlist/photo.jpg?id=" + Html.esc(AlertRoutes.urlPart(p.identityId()))
                + "\">";
    }

    private void page(Context ctx, String message) throws Exception {
        Session s = Access.session(ctx);
        boolean admin = s.user().role().allows(Role.ADMIN);
        StringBuilder rows = new StringBuilder();
        for (GalleryView.Person p : gallery.people()) {
            rows.append("<tr class=\"person\" id=\"person-").append(Html.esc(AlertRoutes.domId(p.identityId())))
                    .append("\"><td>").append(enrolledPhoto(p)).append("</td><td>").append(Html.esc(p.identityId()))
                    .append("</td><td>").append(Html.esc(p.displayName()))
                    .append("</td><td>").append(Html.esc(p.watchlist())).append("</td><td>").append(p.photos())
                    .append("</td><td>").append(Html.time(p.enrolledAt())).append("</td><td><a href=\"/appearances?person=")
                    .append(Html.esc(java.net.URLEncoder.encode(p.identityId(), java.nio.charset.StandardCharsets.UTF_8)))
                    .append("\">appearances</a> · <a class=\"past\" href=\"/past-faces?person=")
                    .append(Html.esc(AlertRoutes.urlPart(p.identityId()))).append("\">find past appearances</a></td><td>");
            if (admin) {
                rows.append("<form method=\"post\" action=\"/watchlist/erase\" class=\"erase\" onsubmit=\"return confirm('Erase ")
                        .append(Html.esc(p.displayName().replace("'", ""))).append(" from every recognizer?')\">")
                        .append(Html.csrfField(s)).append("<input type=\"hidden\" name=\"identityId\" value=\"")
                        .append(Html.esc(p.identityId())).append("\"><button>Erase</button></form>");
            }
            rows.append("</td></tr>\n");
        }
        String enrolForm = !admin ? "" : """
                <h2>Enrol a person</h2>
                <form method="post" action="/watchlist/enrol" enctype="multipart/form-data" id="enrol">%s
                <label>Identity id <input name="identityId" id="identityId" required pattern="[A-Za-z0-9._-]+"></label>
                <label>Name <input name="displayName" id="displayName"></label>
                <label>Watchlist <input name="watchlist" id="watchlist" value="default"></label>
                <label>Photos <input type="file" name="photos" id="photos" accept="image/*" multiple required></label>
                <button id="enrol-button">Upload</button></form>
                """.formatted(Html.csrfField(s));
        StringBuilder audit = new StringBuilder();
        for (ConsoleDatabase.AuditEntry e : db.recentAudit(20)) {
            audit.append("<tr><td>").append(Html.time(e.at())).append("</td><td>").append(Html.esc(e.username()))
                    .append("</td><td>").append(Html.esc(e.action())).append("</td><td>").append(Html.esc(e.subject()))
                    .append("</td><td>").append(Html.esc(e.detail())).append("</td></tr>\n");
        }
        ctx.html(Html.page("Watchlist", s, message + """
                <p class="hint">From the gallery topic, as every recognizer replica reads it; a change shows here once it is on the topic.</p>
                <table id="people"><tr><th>Photo</th><th>Id</th><th>Name</th><th>Watchlist</th><th>Photos</th><th>Enrolled</th><th></th><th></th></tr>
                %s</table>%s
                <h2>Changes</h2><table id="audit"><tr><th>When</th><th>Who</th><th>What</th><th>Identity</th><th>Detail</th></tr>
                %s</table>
                """.formatted(rows, enrolForm, audit)));
    }

    private void upload(Context ctx) throws Exception {
        Session s = Access.require(ctx, Role.ADMIN);
        String id = ctx.formParam("identityId");
        if (id == null || !id.matches("[A-Za-z0-9._-]+")) {
            throw new BadRequestResponse("an identity id of letters, digits, '.', '_' or '-' is required");
        }
        List<UploadedFile> files = ctx.uploadedFiles("photos");
        if (files.isEmpty()) {
            throw new BadRequestResponse("choose at least one photo");
        }
        Enrolments.Pending p = enrolments.upload(id, ctx.formParam("displayName"), orDefault(ctx.formParam("watchlist")),
                files.stream().map(f -> new Enrolments.Upload(f.filename(), f.content())).toList());
        if (p.photos().size() == 1 && p.faces().isEmpty()) {
            enrolments.enrol(p.token(), null); // clears the upload; nothing is enrolled
            page(ctx, "<p class=\"error\" id=\"message\">No face found in that photo.</p>");
        } else if (p.faces().size() > 1) {
            chooser(ctx, s, p);
        } else {
            finish(ctx, s, p.token(), null);
        }
    }

    private void chooser(Context ctx, Session s, Enrolments.Pending p) {
        StringBuilder faces = new StringBuilder();
        for (int i = 0; i < p.faces().size(); i++) {
            faces.append("<label class=\"choice\"><input type=\"radio\" name=\"face\" value=\"").append(i).append("\"")
                    .append(i == 0 ? " checked" : "").append(" id=\"face-").append(i).append("\"><img class=\"thumb\" alt=\"face ")
                    .append(i + 1).append("\" src=\"data:image/jpeg;base64,")
                    .append(Base64.getEncoder().encodeToString(p.faces().get(i))).append("\"></label>\n");
        }
        ctx.html(Html.page("Which face is " + (p.displayName() == null || p.displayName().isBlank() ? p.identityId()
                : p.displayName()) + "?", s, """
                <p class="hint">The photo shows %d faces; choose the one to enrol.</p>
                <form method="post" action="/watchlist/enrol/choose" id="choose">%s
                <input type="hidden" name="token" value="%s">%s
                <p><button id="choose-button">Enrol this face</button></p></form>
                """.formatted(p.faces().size(), Html.csrfField(s), Html.esc(p.token()), faces)));
    }

    private void choose(Context ctx) throws Exception {
        Session s = Access.require(ctx, Role.ADMIN);
        String face = ctx.formParam("face");
        try {
            finish(ctx, s, ctx.formParam("token"), face == null ? null : Integer.valueOf(face));
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("choose a face");
        }
    }

    private void finish(Context ctx, Session s, String token, Integer face) throws Exception {
        Enrolments.Pending p = enrolments.pending(token);
        if (p == null) {
            throw new BadRequestResponse("this upload is no longer waiting: upload the photos again");
        }
        Enrolment e = enrolments.enrol(token, face);
        String detail = e.accepted().size() + " photo(s)" + (face == null ? "" : ", face " + (face + 1))
                + (e.rejected().isEmpty() ? "" : ", " + e.rejected().size() + " rejected");
        if (e.enrolled()) {
            db.audit(s.user().name(), "enrol", p.identityId(), detail);
            log.info("console: {} enrolled {} ({})", s.user().name(), p.identityId(), detail);
            page(ctx, "<p class=\"ok\" id=\"message\">Enrolled " + Html.esc(p.identityId()) + " from " + Html.esc(detail)
                    + ". The list shows them once the gallery topic has it.</p>"
                    + "<p id=\"offer-past\"><a href=\"/past-faces?person=" + Html.esc(AlertRoutes.urlPart(p.identityId()))
                    + "\">Find their past appearances</a> (the faces stored in the last days, searched for this person).</p>");
        } else {
            page(ctx, "<p class=\"error\" id=\"message\">Nothing enrolled: " + Html.esc(String.join("; ",
                    e.rejected().values())) + "</p>");
        }
    }

    private void erase(Context ctx) throws Exception {
        Session s = Access.require(ctx, Role.ADMIN);
        String id = ctx.formParam("identityId");
        if (id == null || id.isBlank()) {
            throw new BadRequestResponse("which identity?");
        }
        publisher.erase(id);
        db.audit(s.user().name(), "erase", id, "tombstone on " + publisher.topic());
        log.info("console: {} erased {}", s.user().name(), id);
        page(ctx, "<p class=\"ok\" id=\"message\">Erased " + Html.esc(id) + " (every recognizer replica drops them).</p>");
    }

    private static String orDefault(String watchlist) {
        return watchlist == null || watchlist.isBlank() ? "default" : watchlist.strip();
    }
}
