package vap.console.web;

import vap.console.auth.Sessions.Session;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Server-rendered HTML: escaping of every value put into a page, and the frame every page shares. */
public final class Html {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Html() {
    }

    /** Escapes text for element content and quoted attribute values. */
    public static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** The hidden field every form carries; {@link Access} refuses a POST without it. */
    public static String csrfField(Session s) {
        return "<input type=\"hidden\" name=\"" + Access.CSRF_FIELD + "\" value=\"" + esc(s.csrfToken()) + "\">";
    }

    /** A whole page: navigation for a logged-in user, then {@code body} (already escaped HTML). */
    public static String page(String title, Session s, String body) {
        String nav = "";
        if (s != null && s.loggedIn()) {
            nav = """
                    <nav><a href="/alerts">Live alerts</a> <a href="/appearances">Appearances</a> <a href="/past-faces">Past faces</a>
                    <a href="/watchlist">Watchlist</a> <a href="/cameras">Cameras</a>
                    <span class="who">%s (%s)</span>
                    <form method="post" action="/logout" class="inline">%s<button id="logout">Log out</button></form></nav>
                    """.formatted(esc(s.user().name()), esc(s.user().role().label()), csrfField(s));
        }
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%s · vap console</title>
                <link rel="stylesheet" href="/static/console.css"></head>
                <body>%s<main><h1>%s</h1>
                %s
                </main></body></html>
                """.formatted(esc(title), nav, esc(title), body);
    }
}
