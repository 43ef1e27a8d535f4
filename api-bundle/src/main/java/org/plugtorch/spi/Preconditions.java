package org.plugtorch.spi;

import java.util.function.Supplier;

/**
 * One line for each check of an argument or a state, in place of an {@code if} and a {@code throw}: the condition
 * is what must hold, and the message, PyTorch's text where PyTorch has one, is built only when it does not (pass a
 * {@link Supplier} when the message is assembled from values). The checks that run on every kernel call, per
 * operand or per dimension (the operand rules and bounds, shape checks), keep a plain {@code if}: no message object
 * is made there even before the JIT has compiled the call.
 */
public final class Preconditions {
    private Preconditions() {}

    /** @throws IllegalArgumentException with {@code message} unless {@code valid} */
    public static void checkArgument(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    /** @throws IllegalArgumentException with the supplied message unless {@code valid} */
    public static void checkArgument(boolean valid, Supplier<String> message) {
        if (!valid) {
            throw new IllegalArgumentException(message.get());
        }
    }

    /** @throws IllegalStateException with {@code message} unless {@code valid} */
    public static void checkState(boolean valid, String message) {
        if (!valid) {
            throw new IllegalStateException(message);
        }
    }

    /** @throws IllegalStateException with the supplied message unless {@code valid} */
    public static void checkState(boolean valid, Supplier<String> message) {
        if (!valid) {
            throw new IllegalStateException(message.get());
        }
    }

    /** @throws IndexOutOfBoundsException with {@code message} unless {@code valid} */
    public static void checkIndex(boolean valid, String message) {
        if (!valid) {
            throw new IndexOutOfBoundsException(message);
        }
    }

    /** @throws IndexOutOfBoundsException with the supplied message unless {@code valid} */
    public static void checkIndex(boolean valid, Supplier<String> message) {
        if (!valid) {
            throw new IndexOutOfBoundsException(message.get());
        }
    }
}
