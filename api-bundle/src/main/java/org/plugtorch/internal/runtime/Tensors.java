package org.plugtorch.internal.runtime;

import static org.plugtorch.spi.Preconditions.checkState;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.plugtorch.Tensor;

/**
 * How the internal packages reach a {@link Tensor}'s state, which is not public API: {@code Tensor} hands over an
 * {@link Access} when its class initialises (the JDK's {@code SharedSecrets} pattern). Nothing outside the API
 * bundle's internal packages should call this.
 */
public final class Tensors {
    /** Implemented by {@code Tensor} alone. */
    public interface Access {
        /** A new tensor object over {@code impl}, which must belong to no other tensor. */
        Tensor wrap(TensorImpl impl);
    }

    // Written once, in Tensor's class initialiser: every thread that holds a Tensor has seen that initialiser
    // complete, and wrap() initialises the class first, so the plain field is safely published.
    private static Access access;

    private Tensors() {}

    public static void install(Access a) {
        checkState(access == null, "tensor access is installed once, by Tensor");
        access = a;
    }

    /**
     * Reads {@code Tensor}'s private {@code impl} field: a constant handle the JIT folds into a plain field load, as
     * fast as the field itself (every operation reads it several times). Tensor and this class are in one module.
     */
    private static final VarHandle IMPL = implField();

    private static VarHandle implField() {
        try {
            return MethodHandles.privateLookupIn(Tensor.class, MethodHandles.lookup())
                    .findVarHandle(Tensor.class, "impl", TensorImpl.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The state of {@code t}. */
    public static TensorImpl impl(Tensor t) {
        return (TensorImpl) IMPL.get(t);
    }

    /** A new tensor over {@code storage} with the given view. */
    public static Tensor create(Storage storage, long offset, long[] shape, long[] strides) {
        return wrap(new TensorImpl(storage, offset, shape, strides));
    }

    public static Tensor wrap(TensorImpl impl) {
        Access a = access;
        if (a == null) {
            initialiseTensor();
            a = access;
        }
        return a.wrap(impl);
    }

    private static void initialiseTensor() {
        try {
            Class.forName(Tensor.class.getName(), true, Tensor.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
