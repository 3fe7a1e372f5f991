package dev.ludus.platform;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests {@link java.net.http.HttpClient} will not send: any Host,
 * Origin or Content-Type, any method, a path with raw bytes. One request per connection.
 */
final class RawHttp {

    /** A request: method, path (sent as is) and headers; Host defaults to the server's address. */
    record Request(String method, String path, Map<String, String> headers, byte[] body) {
        Request header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Request(method, path, h, body);
        }

        Request withoutHeader(String name) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.remove(name);
            return new Request(method, path, h, body);
        }

        @Override
        public String toString() {
            String b = new String(body, StandardCharsets.UTF_8);
            return method + " " + (path.length() > 120 ? path.substring(0, 120) + "..." : path) + " " + headers
                    + (body.length == 0 ? "" : " body=" + (b.length() > 160 ? b.substring(0, 160) + "...(" + b.length() + ")" : b));
        }
    }

    record Response(int status, Map<String, String> headers, String body, long millis) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    static Request get(String path) {
        return new Request("GET", path, new LinkedHashMap<>(), new byte[0]);
    }

    /** A POST with {@code Content-Type: application/json}. */
    static Request post(String path, String json) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        return new Request("POST", path, h, json.getBytes(StandardCharsets.UTF_8));
    }

    static Request request(String method, String path, String contentType, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        return new Request(method, path, h, body.getBytes(StandardCharsets.UTF_8));
    }

    private final int port;
    private final int timeoutMs;

    RawHttp(int port, int timeoutMs) {
        this.port = port;
        this.timeoutMs = timeoutMs;
    }

    /** Sends {@code r}; throws {@link SocketTimeoutException} when no complete answer arrives in time. */
    Response send(Request r) throws IOException {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            StringBuilder head = new StringBuilder(r.method()).append(' ').append(r.path()).append(" HTTP/1.1\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Host", "127.0.0.1:" + port);
            headers.putAll(r.headers());
            headers.putIfAbsent("Connection", "close");
            if (!headers.containsKey("Transfer-Encoding") && (r.body().length > 0 || !r.method().equals("GET"))) {
                headers.putIfAbsent("Content-Length", Integer.toString(r.body().length));
            }
            headers.forEach((k, v) -> {
                if (v != null) {
                    head.append(k).append(": ").append(v).append("\r\n");
                }
            });
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(r.body());
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before the whole body is sent (413): read its answer anyway
            }
            byte[] all = readAll(s.getInputStream());
            return parse(all, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                b.write(buf, 0, n);
            }
        } catch (java.net.SocketException e) {
            if (b.size() == 0) {
                throw e;
            }
        }
        return b.toByteArray();
    }

    private static Response parse(byte[] raw, long millis) throws IOException {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || end < 0) {
            throw new IOException("not an HTTP answer: '" + text.substring(0, Math.min(200, text.length())) + "'");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8), millis);
    }

    private static byte[] dechunk(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < b.length) {
            int eol = i;
            while (eol + 1 < b.length && !(b[eol] == '\r' && b[eol + 1] == '\n')) {
                eol++;
            }
            String sizeText = new String(b, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            out.write(b, eol + 2, Math.min(size, b.length - eol - 2));
            i = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
