package dev.ludus.platform.http;

import dev.ludus.platform.PlatformConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The checks every request passes before anything else reads it (docs/api.md, "Threat model"):
 * <ul>
 *   <li>its {@code Host} is a name of this server — the bound address, {@code localhost} or a configured
 *       name — else 403, so a page on a rebound DNS name cannot talk to a loopback server;</li>
 *   <li>a state-changing request (any method but GET, HEAD, OPTIONS) carries
 *       {@code Content-Type: application/json}, which a cross-site page cannot send without a CORS preflight,
 *       and an {@code Origin}, if sent, equal to the server's own or a configured CORS origin, else 415 / 403;</li>
 *   <li>a body of any other content type is refused with 415 before it is parsed (form bodies would
 *       otherwise be decoded as form fields).</li>
 * </ul>
 * A refused request's body is read and dropped (up to the body limit) before the answer, so the client
 * sees the answer instead of a reset connection.
 */
public final class RequestGuard {

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    /**
     * Artifact uploads carry the file itself, of any type. A PUT cannot be sent by another site's page without a
     * CORS preflight (which this server grants no one unless configured), so it needs no JSON content type to be
     * safe from cross-site forgery; the Origin check still applies.
     */
    private static final java.util.regex.Pattern UPLOAD = java.util.regex.Pattern.compile("/api/runs/[^/]+/artifacts/[^/]+");

    private final Set<String> hosts;
    private final Set<String> corsOrigins;
    private final long maxBody;
    private final CorsHandler cors;

    public RequestGuard(PlatformConfig config, long maxBody) {
        this.hosts = Collections.unmodifiableSet(allowedHosts(config));
        this.corsOrigins = Set.copyOf(config.policy().corsOrigins());
        this.maxBody = maxBody;
        this.cors = corsOrigins.isEmpty() ? null : CorsHandler.create().addOrigins(List.copyOf(corsOrigins))
                .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE))
                .allowedHeaders(Set.of("Content-Type", "Authorization", "Accept"));
    }

    /** The Host names accepted, lower case, IPv6 addresses in brackets. */
    public Set<String> hosts() {
        return hosts;
    }

    /**
     * CORS for the configured origins only: a request whose {@code Origin} is one of them goes through Vert.x's
     * {@link CorsHandler} (preflights answered, Access-Control-* headers added); any other request passes
     * untouched, so with no origin configured the server sends no CORS headers at all.
     */
    public void cors(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (cors != null && origin != null && corsOrigins.contains(origin.trim().toLowerCase(Locale.ROOT))) {
            cors.handle(ctx);
        } else {
            ctx.next();
        }
    }

    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String host = hostOf(req);
        if (host == null || !hosts.contains(host)) {
            refuse(ctx, 403, "Host", "Host: '" + printable(host == null ? "" : host) + "' is not a name of this "
                    + "server (accepted: " + String.join(", ", hosts) + "); a foreign name is how a web page reaches "
                    + "a local server through DNS rebinding. Start the server with --allowed-host NAME to accept one");
            return;
        }
        boolean hasBody = hasBody(req);
        boolean json = isJson(req.getHeader(HttpHeaders.CONTENT_TYPE));
        if (!SAFE.contains(req.method())) {
            String origin = req.getHeader(HttpHeaders.ORIGIN);
            if (origin != null && !sameOrigin(origin, req) && !corsOrigins.contains(origin.toLowerCase(Locale.ROOT))) {
                refuse(ctx, 403, "Origin", "Origin: '" + printable(origin) + "' is not this server's origin; "
                        + "requests that change state are only taken from the dashboard's own page"
                        + (corsOrigins.isEmpty() ? "" : " or " + String.join(", ", corsOrigins)));
                return;
            }
            boolean upload = req.method() == HttpMethod.PUT && UPLOAD.matcher(req.path()).matches();
            if (!json && !upload) {
                refuse(ctx, 415, "Content-Type", "Content-Type: requests that change state must send "
                        + "'Content-Type: application/json', got " + describe(req.getHeader(HttpHeaders.CONTENT_TYPE))
                        + " (with curl: -H 'Content-Type: application/json')");
                return;
            }
        } else if (hasBody && !json) {
            refuse(ctx, 415, "Content-Type", "Content-Type: a request body must be JSON ('Content-Type: application/json'), got "
                    + describe(req.getHeader(HttpHeaders.CONTENT_TYPE)));
            return;
        }
        ctx.next();
    }

    /** The request's host name without the port, lower case; IPv6 literals keep their brackets; null if unreadable. */
    static String hostOf(HttpServerRequest req) {
        String raw = req.getHeader(HttpHeaders.HOST);
        if (raw == null) {
            HostAndPort authority = req.authority();
            raw = authority == null ? null : authority.host();
        }
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String h = raw.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && h.indexOf(':', colon + 1) >= 0) {
            return h; // an unbracketed IPv6 literal or garbage: matches nothing unless configured as is
        }
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** Origin equals http://Host (the Host header as sent, port included), the page the dashboard runs on. */
    private static boolean sameOrigin(String origin, HttpServerRequest req) {
        String host = req.getHeader(HttpHeaders.HOST);
        if (host == null) {
            return false;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        String h = host.trim().toLowerCase(Locale.ROOT);
        return o.equals("http://" + h) || (h.endsWith(":80") && o.equals("http://" + h.substring(0, h.length() - 3)));
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
            if (p.startsWith("charset=") && !p.equals("charset=utf-8") && !p.equals("charset=\"utf-8\"")) {
                return false; // the body is always decoded as UTF-8
            }
        }
        return true;
    }

    private static boolean hasBody(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        return req.headers().contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.trim().equals("0"));
    }

    /** Answers {@code status} with the API's error JSON once the body (if any) has been read and dropped. */
    private void refuse(RoutingContext ctx, int status, String field, String message) {
        String body = new JsonObject().put("error", message).put("field", field).encode();
        HttpServerRequest req = ctx.request();
        Runnable answer = () -> {
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                        .end(body);
            }
        };
        if (req.isEnded()) {
            answer.run();
            return;
        }
        if ("100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
            // the client waits for a go-ahead before sending its body (curl does above 1 KB): answer now instead
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            answer.run();
            return;
        }
        long[] read = {0};
        req.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > maxBody && !ctx.response().ended()) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                answer.run();
            }
        });
        req.exceptionHandler(e -> answer.run());
        req.endHandler(v -> answer.run());
        req.resume();
    }

    private static String describe(String contentType) {
        return contentType == null ? "none" : "'" + printable(contentType) + "'";
    }

    private static String printable(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 100 ? t.substring(0, 100) + "..." : t;
    }

    private static Set<String> allowedHosts(PlatformConfig config) {
        Set<String> out = new LinkedHashSet<>();
        String bound = config.host().trim().toLowerCase(Locale.ROOT);
        out.add(bracketed(bound));
        out.add("localhost");
        if (config.loopback()) {
            out.add("127.0.0.1");
            out.add("[::1]");
        }
        if (bound.equals("0.0.0.0") || bound.equals("::") || bound.equals("[::]")) {
            // bound to every interface: each interface's address, and this machine's names
            try {
                for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                        String ip = a.getHostAddress();
                        int scope = ip.indexOf('%');
                        out.add(bracketed((scope < 0 ? ip : ip.substring(0, scope)).toLowerCase(Locale.ROOT)));
                    }
                }
                InetAddress local = InetAddress.getLocalHost();
                out.add(local.getHostName().toLowerCase(Locale.ROOT));
                out.add(local.getCanonicalHostName().toLowerCase(Locale.ROOT));
            } catch (java.io.IOException | RuntimeException e) {
                // the configured names still work
            }
        }
        for (String h : config.policy().allowedHosts()) {
            out.add(bracketed(h));
        }
        return out;
    }

    private static String bracketed(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
