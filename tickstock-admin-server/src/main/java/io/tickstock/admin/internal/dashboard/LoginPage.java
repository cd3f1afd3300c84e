package io.tickstock.admin.internal.dashboard;

import static j2html.TagCreator.*;

/** The login form (j2html). Shows an error line after a failed attempt; never echoes the password. */
public final class LoginPage {
    private LoginPage() {
    }

    /**
     * @param error    message to show, or null
     * @param next     where to go after logging in (already sanitised)
     * @param username the name typed last time, or null
     */
    public static String render(String error, String next, String username) {
        return document(html(
                head(
                        meta().withCharset("utf-8"),
                        meta().withName("viewport").withContent("width=device-width, initial-scale=1"),
                        title("Log in · TickStock admin"),
                        link().withRel("stylesheet").withHref("/static/dashboard.css"),
                        link().withRel("icon").withType("image/svg+xml").withHref("/static/favicon.svg")),
                body(
                        main(
                                div(
                                        h1("TickStock admin"),
                                        p("WebSocket connections monitor").withClass("muted"),
                                        iff(error != null, p(error == null ? "" : error).withClass("login-error").withId("login-error")),
                                        form(
                                                input().withType("hidden").withName("next").withValue(next),
                                                label("User name").attr("for", "username"),
                                                input().withType("text").withName("username").withId("username")
                                                        .withValue(username == null ? "" : username)
                                                        .attr("autocomplete", "username").isRequired().isAutofocus(),
                                                label("Password").attr("for", "password"),
                                                input().withType("password").withName("password").withId("password")
                                                        .attr("autocomplete", "current-password").isRequired(),
                                                button("Log in").withType("submit").withClass("btn btn-primary").withId("login-submit")
                                        ).withMethod("post").withAction("/login").withClass("login-form")
                                ).withClass("login-card")
                        ).withClass("login-page")
                ).withClass("login")
        ).attr("lang", "en"));
    }
}
