package dev.ludus.platform.store;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Event bus codec for {@link Trial}: in this JVM the record is handed over as is (it is immutable but
 * for its JSON params, which nobody changes after the claim); over the wire it travels as JSON.
 */
public final class TrialCodec implements MessageCodec<Trial, Trial> {

    @Override
    public void encodeToWire(Buffer buffer, Trial t) {
        Buffer json = t.toJson().toBuffer();
        buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public Trial decodeFromWire(int pos, Buffer buffer) {
        int length = buffer.getInt(pos);
        return Trial.fromJson(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
    }

    @Override
    public Trial transform(Trial t) {
        return t;
    }

    @Override
    public String name() {
        return "ludus-trial";
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
