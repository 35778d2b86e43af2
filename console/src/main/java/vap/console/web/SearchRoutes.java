package vap.console.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import vap.console.alerts.CropStore;
import vap.console.auth.Role;
import vap.console.auth.Sessions.Session;
import vap.console.db.ConsoleDatabase;
import vap.console.search.FaceSearch;
import vap.console.search.FaceTable;
import vap.console.watchlist.GalleryView;
import vap.messages.CropLocation;
import vap.recognizer.feedback.FaceSource;
import vap.recognizer.feedback.FeedbackPublisher;
import vap.recognizer.feedback.FeedbackRecords;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Appearances and search: past faces filtered by camera, person, time range, matched or unknown; each opens its crop. */
public final class SearchRoutes {
    private final ConsoleDatabase db;
    private final FaceSearch search;
    private final CropStore crops;
    private final String facesTopic;
    private final FeedbackPublisher publisher;
    private final GalleryView gallery;

    public SearchRoutes(ConsoleDatabase db, FaceSearch search, CropStore crops, String facesTopic,
                        FeedbackPublisher feedback, GalleryView gallery) {
        this.db = db;
        this.gallery = gallery;
        this.search = search;
        this.crops = crops;
        this.facesTopic = facesTopic;
        this.publisher = feedback;
    }

    public void register(RoutesConfig r) {
        r.get("/appearances", this::page);
        r.get("/crop.jpg", this::crop);
        r.post("/feedback/not-this-person", this::notThisPerson);
    }

    private void page(Context ctx) throws SQLException {
        String camera = ctx.queryParam("camera");
        String person = ctx.queryParam("person");
        String from = ctx.queryParam("from");
        String to = ctx.queryParam("to");
        String status = ctx.queryParam("status") == null ? "all" : ctx.queryParam("status");
        FaceSearch.Filter filter = new FaceSearch.Filter(camera, person, time(from), time(to),
                parseStatus(status), 200);
        List<FaceSearch.Row> rows;
        try (Connection c = db.connect()) {
            rows = search.find(c, filter);
        }
        Session s = Access.session(ctx);
        boolean analyst = s.user().role().allows(Role.ANALYST);
        Map<String, String> marks = db.notThisPersonMarks(rows.stream().filter(FaceSearch.Row::matched)
                .map(FaceSearch.Row::key).collect(Collectors.toSet()));
        StringBuilder table = new StringBuilder();
        for (FaceSearch.Row row : rows) {
            String feedback = "";
            if (row.matched() && marks.containsKey(row.key())) {
                feedback = "<span class=\"feedback\">not this person (" + Html.esc(marks.get(row.key())) + ")</span>";
            } else if (row.matched() && analyst) {
                feedback = "<form method=\"post\" action=\"/feedback/not-this-person\" class=\"not-this-person\">"
                        + Html.csrfField(s) + hidden("faceKey", row.key()) + hidden("identityId", row.identity())
                        + hidden("cameraId", row.camera()) + hidden("back", ctx.fullUrl())
                        + hidden("faceKind", search.table() == FaceTable.APPEARANCES ? "appearance" : "sighting")
                        + "<button>Not this person</button></form>";
            }
            String img = row.crop() == null ? "" : "<a href=\"" + cropUrl(row.crop()) + "\" target=\"_blank\"><img class=\"thumb\" alt=\"face\" src=\""
                    + cropUrl(row.crop()) + "\"></a>";
            table.append("<tr class=\"face-row\"><td>").append(img).append("</td><td>").append(Html.time(row.at()))
                    .append("</td><td><a href=\"/appearances?camera=").append(Html.esc(enc(row.camera()))).append("\">")
                    .append(Html.esc(row.camera())).append("</a></td><td>")
                    .append(row.matched() ? "<a href=\"/appearances?person=" + Html.esc(enc(row.identity())) + "\">"
                            + Html.esc(row.identity()) + "</a>" : "<i>unknown</i>")
                    .append("</td><td>").append(row.score() == null ? "" : String.format(Locale.ROOT, "%.3f", row.score()))
                    .append("</td><td>").append(Math.round(row.age())).append("</td><td><a class=\"find-face\" href=\"/past-faces?face=")
                    .append(Html.esc(enc(row.key()))).append("\">find this face</a> ").append(feedback)
                    .append("</td></tr>\n");
        }
        // A person's page: their enrolled photo (while enrolled) above their faces, and the search of the past.
        String personHead = gallery.find(person).map(p -> "<p id=\"person-head\">" + WatchlistRoutes.enrolledPhoto(p)
                + " <b>" + Html.esc(p.displayName()) + "</b> (" + Html.esc(p.identityId()) + ", watchlist "
                + Html.esc(p.watchlist()) + ") · <a href=\"/past-faces?person=" + Html.esc(enc(p.identityId()))
                + "\">find past appearances</a></p>").orElse("");
        ctx.html(Html.page("Appearances", s, personHead + """
                <form method="get" action="/appearances" class="search" id="search">
                <label>Camera <input name="camera" id="camera" value="%s"></label>
                <label>Person (identity id) <input name="person" id="person" value="%s"></label>
                <label>From <input type="datetime-local" name="from" id="from" value="%s"></label>
                <label>To <input type="datetime-local" name="to" id="to" value="%s"></label>
                <label>Faces <select name="status" id="status">%s</select></label>
                <button id="search-button">Search</button></form>
                <p class="hint" id="result-count">%d faces (newest first, at most 200)</p>
                <table id="results"><tr><th>Face</th><th>Seen</th><th>Camera</th><th>Person</th><th>Score</th><th>Age</th><th></th></tr>
                %s</table>
                """.formatted(Html.esc(camera), Html.esc(person), Html.esc(from), Html.esc(to), options(status),
                rows.size(), table)));
    }

    private void crop(Context ctx) {
        String topic = ctx.queryParam("topic");
        if (!facesTopic.equals(topic)) {
            throw new BadRequestResponse("crops are read from " + facesTopic + " only");
        }
        try {
            CropLocation at = new CropLocation(topic, Integer.parseInt(ctx.queryParam("partition")),
                    Long.parseLong(ctx.queryParam("offset")));
            byte[] jpeg = crops.alignedCrop(at).orElseThrow(() -> new NotFoundResponse("this face is no longer in Kafka"));
            ctx.contentType("image/jpeg").header("Cache-Control", "private, max-age=86400").result(jpeg);
        } catch (NumberFormatException e) {
            throw new BadRequestResponse("partition and offset must be numbers");
        }
    }

    private void notThisPerson(Context ctx) throws SQLException {
        Session s = Access.require(ctx, Role.ANALYST);
        String key = ctx.formParam("faceKey");
        String identity = ctx.formParam("identityId");
        String camera = ctx.formParam("cameraId");
        if (key == null || identity == null || camera == null) {
            throw new BadRequestResponse("which face and which person?");
        }
        // Alert cards name a sighting; search rows name what the search table holds (a sighting or an appearance).
        FaceSource face = "appearance".equals(ctx.formParam("faceKind")) ? FaceSource.appearance(key) : FaceSource.sighting(key);
        float[] embedding;
        try (Connection c = db.connect()) {
            embedding = face.embedding(c).orElseThrow(() -> new NotFoundResponse("no such face: " + face));
        }
        // Published first (the recognizers apply it), then recorded; marking the same face again replaces it.
        publisher.publish(FeedbackRecords.notThisPerson(identity, face, embedding, s.user().name(), null));
        if (db.notThisPerson(key, identity, camera, s.user().name())) {
            db.audit(s.user().name(), "not-this-person", identity, "face " + key);
        }
        String back = ctx.formParam("back");
        // Only back to a page of this console, never to another site.
        boolean ours = back != null && (back.equals("/alerts")
                || back.startsWith(ctx.scheme() + "://" + ctx.host() + "/appearances"));
        ctx.redirect(ours ? back : "/appearances?person=" + enc(identity));
    }

    static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.esc(value) + "\">";
    }

    static String cropUrl(CropLocation c) {
        return "/crop.jpg?topic=" + Html.esc(enc(c.getTopic())) + "&amp;partition=" + c.getPartition() + "&amp;offset="
                + c.getOffset();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String options(String selected) {
        StringBuilder b = new StringBuilder();
        for (String s : List.of("all", "matched", "unknown")) {
            b.append("<option").append(s.equals(selected) ? " selected" : "").append('>').append(s).append("</option>");
        }
        return b.toString();
    }

    private static FaceSearch.Status parseStatus(String s) {
        return switch (s) {
            case "all" -> FaceSearch.Status.ALL;
            case "matched" -> FaceSearch.Status.MATCHED;
            case "unknown" -> FaceSearch.Status.UNKNOWN;
            default -> throw new BadRequestResponse("faces: all, matched or unknown");
        };
    }

    /** The browser's datetime-local value, in this server's time zone. */
    private static Instant time(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(s).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestResponse("times look like 2026-11-29T20:30");
        }
    }
}
