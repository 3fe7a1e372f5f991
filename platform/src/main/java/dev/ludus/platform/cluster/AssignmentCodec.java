package dev.ludus.platform.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/** Event bus codec for {@link Assignment}: length-prefixed JSON on the wire (no Java serialisation). */
public final class AssignmentCodec implements MessageCodec<Assignment, Assignment> {

    @Override
    public void encodeToWire(Buffer buffer, Assignment a) {
        Buffer json = a.toJson().toBuffer();
        buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public Assignment decodeFromWire(int pos, Buffer buffer) {
        int length = buffer.getInt(pos);
        return Assignment.fromJson(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
    }

    @Override
    public Assignment transform(Assignment a) {
        return a;
    }

    @Override
    public String name() {
        return "ludus-assignment";
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
