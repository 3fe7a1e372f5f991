package dev.ludus.platform.http;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Encodes API answers as strict JSON: a number that is not finite (NaN, ±Infinity — a bucket mean whose sum
 * overflowed, a metric an env reported as infinite) is written as {@code null}, never as the string
 * {@code "Infinity"} or a bare {@code NaN} token, so every numeric array stays numbers-or-null.
 */
final class JsonOutput {

    private JsonOutput() {
    }

    static String encode(Object value) {
        Object v = finite(value);
        return v instanceof JsonObject o ? o.encode() : v instanceof JsonArray a ? a.encode() : Json.encode(v);
    }

    /** {@code value} with every non-finite double or float replaced by null; containers are fixed in place. */
    @SuppressWarnings("unchecked")
    static Object finite(Object value) {
        if (value instanceof Double d) {
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof Float f) {
            return Float.isFinite(f) ? f : null;
        }
        if (value instanceof JsonObject o) {
            finiteMap(o.getMap());
        } else if (value instanceof JsonArray a) {
            finiteList(a.getList());
        } else if (value instanceof Map<?, ?> m) {
            finiteMap((Map<String, Object>) m);
        } else if (value instanceof List<?> l) {
            finiteList((List<Object>) l);
        }
        return value;
    }

    private static void finiteMap(Map<String, Object> m) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Double || v instanceof Float) {
                e.setValue(finite(v));
            } else if (v != null) {
                finite(v);
            }
        }
    }

    private static void finiteList(List<Object> l) {
        for (int i = 0; i < l.size(); i++) {
            Object v = l.get(i);
            if (v instanceof Double || v instanceof Float) {
                l.set(i, finite(v));
            } else if (v != null) {
                finite(v);
            }
        }
    }
}
