package vap.console.web;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import vap.console.auth.Role;
import vap.console.auth.Sessions;
import vap.console.auth.Sessions.Session;

import java.util.Set;

/**
 * The gate in front of every route: finds the browser's session (opening an anonymous one), sends anyone not
 * logged in to the login page, and refuses every POST whose CSRF token is not its session's. The session cookie
 * is HttpOnly and SameSite=Strict, and Secure over HTTPS or when {@code console.cookie.secure} is set.
 */
public final class Access {
    public static final String COOKIE = "vap_session";
    public static final String CSRF_FIELD = "_csrf";
    private static final String ATTR = "vap.session";
    private static final Set<String> OPEN = Set.of("/login", "/static/console.css");

    private final Sessions sessions;
    private final boolean alwaysSecure;

    public Access(Sessions sessions, boolean alwaysSecure) {
        this.sessions = sessions;
        this.alwaysSecure = alwaysSecure;
    }

    /** The before-handler of every request. */
    public void check(Context ctx) {
        Session s = sessions.find(ctx.cookie(COOKIE)).orElse(null);
        if (s == null) {
            s = sessions.anonymous();
            setCookie(ctx, s);
        }
        ctx.attribute(ATTR, s);
        if (ctx.method() == HandlerType.POST && !s.csrfMatches(ctx.formParam(CSRF_FIELD))) {
            throw new ForbiddenResponse("This form has no valid security token (CSRF). Reload the page and try again.");
        }
        if (!s.loggedIn() && !OPEN.contains(ctx.path())) {
            if (ctx.method() == HandlerType.GET && !ctx.path().endsWith("/stream")) {
                ctx.redirect("/login");
                ctx.skipRemainingHandlers();
                return;
            }
            throw new io.javalin.http.UnauthorizedResponse("Log in first.");
        }
    }

    public static Session session(Context ctx) {
        return ctx.attribute(ATTR);
    }

    /** Refuses the request unless the user's role allows {@code needed}. */
    public static Session require(Context ctx, Role needed) {
        Session s = session(ctx);
        if (s == null || !s.loggedIn() || !s.user().role().allows(needed)) {
            throw new ForbiddenResponse("This needs the " + needed.label() + " role.");
        }
        return s;
    }

    /** Replaces the session (after login or logout) and tells the browser. */
    public void replace(Context ctx, Session s) {
        ctx.attribute(ATTR, s);
        setCookie(ctx, s);
    }

    private void setCookie(Context ctx, Session s) {
        boolean secure = alwaysSecure || "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        ctx.header("Set-Cookie", COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
    }
}
