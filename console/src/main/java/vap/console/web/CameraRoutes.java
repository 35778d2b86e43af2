package vap.console.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import vap.console.db.ConsoleDatabase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Cameras: faces seen per camera (from the sightings table, so it works wherever the sinks write) and, when
 * {@code console.ingest.health.urls} names ingest replicas, their camera states from each one's /health.
 */
public final class CameraRoutes {
    private static final String PER_CAMERA = """
            select camera_id, count(*) filter (where captured_at > now() - interval '1 minute'),
                   count(*) filter (where captured_at > now() - interval '1 hour'), count(*),
                   count(distinct frame_sequence), max(captured_at)
              from sightings where captured_at > now() - interval '24 hours'
             group by camera_id order by camera_id""";
    private final ConsoleDatabase db;
    private final List<URI> ingestHealth;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public CameraRoutes(ConsoleDatabase db, List<URI> ingestHealth) {
        this.db = db;
        this.ingestHealth = ingestHealth;
    }

    public void register(RoutesConfig r) {
        r.get("/cameras", this::page);
    }

    private void page(Context ctx) throws Exception {
        StringBuilder rows = new StringBuilder();
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(PER_CAMERA)) {
            while (rs.next()) {
                rows.append("<tr class=\"camera\"><td><a href=\"/appearances?camera=")
                        .append(Html.esc(java.net.URLEncoder.encode(rs.getString(1), java.nio.charset.StandardCharsets.UTF_8)))
                        .append("\">").append(Html.esc(rs.getString(1))).append("</a></td><td>")
                        .append(String.format(Locale.ROOT, "%.2f", rs.getLong(2) / 60.0)).append("</td><td>")
                        .append(rs.getLong(3)).append("</td><td>").append(rs.getLong(4)).append("</td><td>")
                        .append(rs.getLong(5)).append("</td><td>").append(Html.time(rs.getTimestamp(6).toInstant()))
                        .append("</td></tr>\n");
            }
        }
        StringBuilder ingest = new StringBuilder();
        for (URI u : ingestHealth) {
            String state;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                state = (r.statusCode() == 200 ? "up: " : "down (" + r.statusCode() + "): ") + r.body();
            } catch (Exception e) {
                state = "unreachable: " + e.getMessage();
            }
            ingest.append("<li><b>").append(Html.esc(u)).append("</b> <code>").append(Html.esc(state)).append("</code></li>");
        }
        ctx.html(Html.page("Cameras", Access.session(ctx), """
                <p class="hint">Faces recognised per camera in the last 24 hours (from the sightings table).</p>
                <table id="cameras"><tr><th>Camera</th><th>Faces/s (last minute)</th><th>Faces (last hour)</th>
                <th>Faces (24 h)</th><th>Frames with faces (24 h)</th><th>Last face</th></tr>
                %s</table>
                <h2>Ingest</h2>%s
                """.formatted(rows, ingestHealth.isEmpty()
                ? "<p class=\"hint\">Set console.ingest.health.urls (e.g. http://ingest-1:9101/health) to see each camera's state here.</p>"
                : "<ul id=\"ingest\">" + ingest + "</ul>")));
    }
}
