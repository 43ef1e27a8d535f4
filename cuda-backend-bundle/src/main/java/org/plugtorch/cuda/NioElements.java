package org.plugtorch.cuda;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * Moves elements between a caller's typed NIO buffer (heap or direct, any byte order) and little-endian bytes, the
 * layout of device memory. Element by element conversion is left to NIO's bulk copies.
 */
final class NioElements {
    private NioElements() {}

    /** Writes {@code count} elements of {@code src}, from its position, at byte 0 of {@code bytes}. */
    static void put(ByteBuffer bytes, Buffer src, int count) {
        ByteBuffer out = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        out.clear();
        Buffer in = window(src, count);
        if (in instanceof FloatBuffer) {
            out.asFloatBuffer().put((FloatBuffer) in);
        } else if (in instanceof DoubleBuffer) {
            out.asDoubleBuffer().put((DoubleBuffer) in);
        } else if (in instanceof LongBuffer) {
            out.asLongBuffer().put((LongBuffer) in);
        } else if (in instanceof IntBuffer) {
            out.asIntBuffer().put((IntBuffer) in);
        } else {
            out.put((ByteBuffer) in);
        }
    }

    /** Reads {@code count} elements from byte 0 of {@code bytes} into {@code dst}, from its position. */
    static void get(ByteBuffer bytes, Buffer dst, int count) {
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        in.clear();
        Buffer out = window(dst, count);
        if (out instanceof FloatBuffer) {
            ((FloatBuffer) out).put(in.asFloatBuffer().limit(count));
        } else if (out instanceof DoubleBuffer) {
            ((DoubleBuffer) out).put(in.asDoubleBuffer().limit(count));
        } else if (out instanceof LongBuffer) {
            ((LongBuffer) out).put(in.asLongBuffer().limit(count));
        } else if (out instanceof IntBuffer) {
            ((IntBuffer) out).put(in.asIntBuffer().limit(count));
        } else {
            ((ByteBuffer) out).put(in.limit(count));
        }
    }

    /** A duplicate of {@code b} covering {@code count} elements from its position (the original is left alone). */
    private static Buffer window(Buffer b, int count) {
        Buffer w = b.duplicate();
        return w.limit(w.position() + count);
    }
}
