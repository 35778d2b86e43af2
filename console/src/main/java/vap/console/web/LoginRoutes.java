package vap.console.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import vap.console.auth.Sessions;
import vap.console.auth.Sessions.Session;
import vap.console.auth.UserDirectory;

import java.util.Optional;

/** Logging in and out. */
public final class LoginRoutes {
    private final UserDirectory users;
    private final Sessions sessions;
    private final Access access;

    public LoginRoutes(UserDirectory users, Sessions sessions, Access access) {
        this.users = users;
        this.sessions = sessions;
        this.access = access;
    }

    public void register(RoutesConfig r) {
        r.get("/", ctx -> ctx.redirect("/alerts"));
        r.get("/login", ctx -> form(ctx, ""));
        r.post("/login", this::login);
        r.post("/logout", ctx -> {
            sessions.end(Access.session(ctx));
            access.replace(ctx, sessions.anonymous());
            ctx.redirect("/login");
        });
    }

    private void login(Context ctx) {
        String password = ctx.formParam("password");
        Optional<UserDirectory.User> user = users.authenticate(ctx.formParam("username"),
                password == null ? new char[0] : password.toCharArray());
        if (user.isEmpty()) {
            ctx.status(401);
            form(ctx, "<p class=\"error\" id=\"login-error\">Unknown user or wrong password.</p>");
            return;
        }
        access.replace(ctx, sessions.login(Access.session(ctx), user.get()));
        ctx.redirect("/alerts");
    }

    private static void form(Context ctx, String message) {
        Session s = Access.session(ctx);
        ctx.html(Html.page("Log in", s, message + """
                <form method="post" action="/login" class="login">%s
                <label>User <input name="username" id="username" autocomplete="username" required></label>
                <label>Password <input name="password" id="password" type="password" autocomplete="current-password" required></label>
                <button id="login">Log in</button></form>
                """.formatted(Html.csrfField(s))));
    }
}
