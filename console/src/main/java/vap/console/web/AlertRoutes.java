package vap.console.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.sse.SseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vap.console.alerts.AlertFeed;
import vap.console.alerts.CropStore;
import vap.console.alerts.LiveAlert;
import vap.console.auth.Role;
import vap.console.auth.Sessions.Session;
import vap.console.db.ConsoleDatabase;
import vap.console.watchlist.GalleryView;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The live alerts page: recent alerts, new ones pushed as server-sent events, faces, acknowledgements. */
public final class AlertRoutes {
    private static final Logger log = LoggerFactory.getLogger(AlertRoutes.class);
    private final AlertFeed feed;
    private final CropStore crops;
    private final ConsoleDatabase db;
    private final AlertStreams streams;
    private final GalleryView gallery;

    /** {@code streams} must already follow {@code feed} (it is the feed's listener for every browser). */
    public AlertRoutes(AlertFeed feed, AlertStreams streams, CropStore crops, ConsoleDatabase db, GalleryView gallery) {
        this.feed = feed;
        this.gallery = gallery;
        this.streams = streams;
        this.crops = crops;
        this.db = db;
    }

    public void register(RoutesConfig r) {
        r.get("/alerts", this::page);
        r.sse("/alerts/stream", this::stream);
        r.get("/alerts/face.jpg", this::face);
        r.post("/alerts/ack", this::acknowledge);
    }

    private void page(Context ctx) throws SQLException {
        Session s = Access.session(ctx);
        List<LiveAlert> recent = feed.recent();
        Map<String, ConsoleDatabase.Ack> acks = db.acks(recent.stream().map(LiveAlert::alertId).collect(Collectors.toSet()));
        StringBuilder rows = new StringBuilder();
        for (LiveAlert a : recent) {
            rows.append(card(a, acks.get(a.alertId()), s, gallery.find(a.identityId()).orElse(null)));
        }
        ctx.html(Html.page("Live alerts", s, """
                <p class="hint">New alerts appear at the top as they happen (<span id="feed-state">connecting</span>).</p>
                <div id="alerts">%s</div>
                <script>
                const state = document.getElementById('feed-state');
                const es = new EventSource('/alerts/stream');
                es.onopen = () => state.textContent = 'live';
                es.onerror = () => state.textContent = 'reconnecting';
                es.addEventListener('alert', e => {
                  const old = document.getElementById('alert-' + e.lastEventId);
                  if (old) old.remove();
                  document.getElementById('alerts').insertAdjacentHTML('afterbegin', e.data);
                });
                </script>
                """.formatted(rows.length() == 0 ? "" : rows)));
    }

    private void stream(SseClient client) {
        Session s = Access.session(client.ctx());
        streams.attach(client, a -> new AlertStreams.Event("alert",
                card(a, null, s, gallery.find(a.identityId()).orElse(null)).replace('\n', ' '),
                domId(a.alertId())));
    }

    private void face(Context ctx) {
        LiveAlert a = feed.find(String.valueOf(ctx.queryParam("id"))).orElseThrow(() -> new NotFoundResponse("no such recent alert"));
        byte[] jpeg = a.bestShotJpeg();
        if (jpeg == null && a.crop() != null) {
            jpeg = crops.alignedCrop(a.crop()).orElse(null);
        }
        if (jpeg == null) {
            throw new NotFoundResponse("this alert's face is no longer in Kafka");
        }
        ctx.contentType("image/jpeg").header("Cache-Control", "private, max-age=3600").result(jpeg);
    }

    private void acknowledge(Context ctx) throws SQLException {
        Session s = Access.require(ctx, Role.ANALYST);
        String id = ctx.formParam("alertId");
        if (id == null || id.isBlank()) {
            throw new io.javalin.http.BadRequestResponse("which alert?");
        }
        if (db.acknowledge(id, s.user().name())) {
            log.info("console: {} acknowledged alert {}", s.user().name(), id);
        }
        ctx.redirect("/alerts#" + "alert-" + domId(id));
    }

    /** One alert as a card; the acknowledge form only for analysts and admins. */
    static String card(LiveAlert a, ConsoleDatabase.Ack ack, Session s, GalleryView.Person enrolled) {
        String img = a.hasFace()
                ? "<img class=\"face\" alt=\"face of " + Html.esc(a.displayName()) + "\" src=\"/alerts/face.jpg?id="
                        + Html.esc(urlPart(a.alertId())) + "\">"
                : "<div class=\"face none\">no face</div>";
        img += WatchlistRoutes.enrolledPhoto(enrolled); // beside the best shot, to compare by eye
        String ackHtml;
        if (ack != null) {
            ackHtml = "<p class=\"ack\">acknowledged by " + Html.esc(ack.by()) + " at " + Html.time(ack.at()) + "</p>";
        } else if (s.user().role().allows(Role.ANALYST)) {
            ackHtml = "<form method=\"post\" class=\"ack\" action=\"/alerts/ack\">"
                    + Html.csrfField(s) + "<input type=\"hidden\" name=\"alertId\" value=\"" + Html.esc(a.alertId()) + "\">" + "<button>Acknowledge</button></form>";
        } else {
            ackHtml = "";
        }
        if (s.user().role().allows(Role.ANALYST)) {
            ackHtml += "<form method=\"post\" class=\"not-this-person\" action=\"/feedback/not-this-person\">"
                    + Html.csrfField(s) + SearchRoutes.hidden("faceKey", a.faceKey())
                    + SearchRoutes.hidden("identityId", a.identityId()) + SearchRoutes.hidden("cameraId", a.cameraId())
                    + SearchRoutes.hidden("back", "/alerts") + "<button>Not this person</button></form>";
        }
        return """
                <div class="alert" id="alert-%s">%s<div class="what">
                <p class="name">%s <span class="watchlist">[%s]</span></p>
                <p>camera <b class="camera">%s</b> · score <b class="score">%s</b> · age ~%d</p>
                <p class="time">seen %s · alerted %s</p>%s</div></div>
                """.formatted(Html.esc(domId(a.alertId())), img, Html.esc(a.displayName()), Html.esc(a.watchlist()),
                Html.esc(a.cameraId()), String.format(Locale.ROOT, "%.3f", a.score()), Math.round(a.age()),
                Html.time(a.capturedAt()), Html.time(a.alertedAt() == null ? Instant.now() : a.alertedAt()), ackHtml);
    }

    /** Alert ids are identity/camera/sequence: encoded for a query parameter. */
    static String urlPart(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String domId(String id) {
        return id.replaceAll("[^A-Za-z0-9_-]", "_");
    }
}
